import type { InvocationContext } from "@azure/functions";
import { createInvocationStepLog } from "../shared/adapters/logging/invocationStepLog";
import type { ReceivedMessage } from "../shared/workers/receivedMessage";

/**
 * The trigger's message plus the broker metadata the handlers check (messageId = envelope
 * id), and the invocation's step log: the handlers' lines go through `context`, so they carry
 * this invocation's function name and id.
 */
export function receivedMessage(body: unknown, context: InvocationContext): ReceivedMessage {
  const metadata = context.triggerMetadata ?? {};
  const deliveryCount = metadata.deliveryCount;
  return {
    body,
    ...(metadata.messageId === undefined ? {} : { messageId: metadata.messageId }),
    ...(typeof deliveryCount === "number" ? { deliveryCount } : {}),
    log: createInvocationStepLog(context),
  };
}
