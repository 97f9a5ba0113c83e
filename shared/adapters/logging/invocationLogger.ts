import { withFields, type MessageLog } from "../../ports/messageLog";
import type { InvocationLogSink } from "./invocationStepLog";

/** The part of a Functions `InvocationContext` the API's message lines write to. */
export interface InvocationMessageSink extends InvocationLogSink {
  error(message: string): void;
}

/**
 * The API's lines during one invocation (a failed request, an event left to the outbox relay),
 * written through its context: `message {"field":…}`, the shape of the host's own lines, so
 * the host stamps them with function name and invocation id and Azure ties them to the
 * request that failed.
 */
export function createInvocationLogger(context: InvocationMessageSink): MessageLog {
  return {
    info: (message, fields) => context.info(withFields(message, fields)),
    warn: (message, fields) => context.warn(withFields(message, fields)),
    error: (message, fields) => context.error(withFields(message, fields)),
  };
}
