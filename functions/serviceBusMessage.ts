import type { InvocationContext } from "@azure/functions";
import type { ReceivedMessage } from "../shared/workers/receivedMessage";

/** The trigger's message plus the broker metadata the handlers check (messageId = envelope id). */
export function receivedMessage(body: unknown, context: InvocationContext): ReceivedMessage {
  const metadata = context.triggerMetadata ?? {};
  const deliveryCount = metadata.deliveryCount;
  return {
    body,
    ...(metadata.messageId === undefined ? {} : { messageId: metadata.messageId }),
    ...(typeof deliveryCount === "number" ? { deliveryCount } : {}),
  };
}
