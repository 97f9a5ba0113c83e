import type { EmailSender, NotificationClaims } from "../../ports";
import { EmailRejectedError, notificationClaimId } from "../../ports";
import { notificationIdempotencyKey } from "../../contracts/messages/sendNotification";
import { NotificationCommandSchema } from "../../contracts/messages/unions";
import { renderNotification } from "../../notifications/renderNotification";
import { PoisonMessageError } from "../poisonMessageError";
import type { ReceivedMessage } from "../receivedMessage";
import { parseReceived } from "../receivedMessage";

export interface NotificationHandlerDeps {
  readonly claims: NotificationClaims;
  readonly sender: EmailSender;
  /** EMAIL_SENDER_ADDRESS. */
  readonly senderAddress: string;
  readonly now: () => Date;
}

/**
 * The notification participant: at most one email per (order, template). The claim record
 * says whether the email went out; the sender's idempotency key covers the gap between
 * sending and recording. A refused address is poison (dead-lettered with the reason); any
 * other failure is rethrown so the message is retried.
 */
export function createNotificationHandler(deps: NotificationHandlerDeps) {
  const { claims, sender, now } = deps;

  return async function handleNotificationMessage(message: ReceivedMessage): Promise<void> {
    const command = parseReceived(NotificationCommandSchema, message);
    const started = now().getTime();
    const { orderId, template, recipient } = command.data;
    const log = (outcome: string) =>
      message.log.info({
        orderId,
        correlationId: command.correlationid,
        step: `Notify:${template}`,
        outcome,
        durationMs: now().getTime() - started,
      });

    const claim = await claims.claim({
      id: notificationClaimId(orderId, template),
      type: "notification",
      orderId,
      template,
      state: "claimed",
      recipient,
      claimedAt: now().toISOString(),
    });
    if (claim.doc.state === "sent") return log("AlreadySent");
    if (claim.doc.state === "rejected") {
      throw new PoisonMessageError(
        "RecipientRejected",
        claim.doc.rejection ?? "recipient rejected",
      );
    }
    const email = renderNotification(command.data);
    try {
      const { messageId } = await sender.send(
        { ...email, to: recipient, from: deps.senderAddress },
        { idempotencyKey: notificationIdempotencyKey(orderId, template) },
      );
      await claims.settle(claim, {
        ...claim.doc,
        state: "sent",
        sentAt: now().toISOString(),
        messageId,
      });
      log("Sent");
    } catch (error) {
      if (!(error instanceof EmailRejectedError)) throw error;
      await claims.settle(claim, { ...claim.doc, state: "rejected", rejection: error.detail });
      log("RecipientRejected");
      throw new PoisonMessageError("RecipientRejected", error.message);
    }
  };
}
