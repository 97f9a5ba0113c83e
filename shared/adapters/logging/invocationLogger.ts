/**
 * The part of a Functions `InvocationContext` the API's message lines write to (see
 * `InvocationLogSink` for why not `console`).
 */
export interface InvocationMessageSink {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Message lines with optional fields, as the API's handlers and composition write them. */
export interface MessageLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * The API's lines during one invocation (a failed request, an event left to the outbox relay),
 * written through its context: `message {"field":…}`, the shape of the host's own lines, so
 * the host stamps them with function name and invocation id and Azure ties them to the
 * request that failed.
 */
export function createInvocationLogger(context: InvocationMessageSink): MessageLog {
  const line = (message: string, fields?: Record<string, unknown>) =>
    fields && Object.keys(fields).length > 0 ? `${message} ${JSON.stringify(fields)}` : message;
  return {
    info: (message, fields) => context.info(line(message, fields)),
    warn: (message, fields) => context.warn(line(message, fields)),
    error: (message, fields) => context.error(line(message, fields)),
  };
}
