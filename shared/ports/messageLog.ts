/**
 * Plain message lines with optional fields (a failed request, an event left to the outbox
 * relay, the local bootstrap). During an invocation they go through its context
 * (`shared/adapters/logging/invocationLogger.ts`); outside one, through the process logger
 * (`shared/composition/processLogger.ts`). Never card data or secrets.
 */
export interface MessageLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** `message {"field":…}`, or the message alone when there are no fields. */
export function withFields(message: string, fields?: Record<string, unknown>): string {
  return fields && Object.keys(fields).length > 0
    ? `${message} ${JSON.stringify(fields)}`
    : message;
}
