import { SagaReplySchema } from "../contracts/messages/unions";
import type { ReceivedMessage } from "../workers/receivedMessage";
import { parseReceived } from "../workers/receivedMessage";
import type { SagaInstances } from "./sagaInstances";

/**
 * sagaReplies (queue saga-replies): validates a participant's reply and raises it on the
 * order's instance with event name = reply type and the reply's data as the payload. A
 * reply for a finished (or unknown) instance is logged and completed, not retried: no
 * retry can make a finished saga wait again.
 */
export function createSagaRepliesHandler(deps: { readonly now: () => Date }) {
  return async function relayReply(
    message: ReceivedMessage,
    instances: SagaInstances,
  ): Promise<void> {
    const started = deps.now().getTime();
    const reply = parseReceived(SagaReplySchema, message);
    const outcome = await instances.raise(reply.subject, reply.type, reply.data);
    const fields = {
      orderId: reply.subject,
      correlationId: reply.correlationid,
      step: `Reply:${reply.type}`,
      durationMs: deps.now().getTime() - started,
    };
    if (outcome === "raised") message.log.info({ ...fields, outcome });
    else message.log.warn({ ...fields, outcome: `Dropped:${outcome}` });
  };
}
