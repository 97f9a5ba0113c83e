import type {
  EmailSender,
  NotificationChannel,
  NotificationClaims,
  SmsSender,
  StoredClaim,
} from "../../ports";
import { EmailRejectedError, SmsRejectedError, notificationClaimId } from "../../ports";
import { notificationIdempotencyKey } from "../../contracts/messages/sendNotification";
import { NotificationCommandSchema } from "../../contracts/messages/unions";
import { renderNotification } from "../../notifications/renderNotification";
import { renderSms } from "../../notifications/renderSms";
import { PoisonMessageError } from "../poisonMessageError";
import type { ReceivedMessage } from "../receivedMessage";
import { parseReceived } from "../receivedMessage";

export interface NotificationHandlerDeps {
  readonly claims: NotificationClaims;
  readonly sender: EmailSender;
  /** EMAIL_SENDER_ADDRESS. */
  readonly senderAddress: string;
  /** Present when SMS_SENDER_NUMBER is set: orders with a phone number are texted too. */
  readonly sms?: { readonly sender: SmsSender; readonly from: string };
  readonly now: () => Date;
}

/** What one channel did with one message. */
type Delivery =
  | { readonly outcome: "Sent" | "AlreadySent" }
  | { readonly outcome: "RecipientRejected"; readonly reason: string };

/** The step names of the two channels: `Notify:<template>` and `NotifySms:<template>`. */
const STEP_PREFIX: Record<NotificationChannel, string> = { email: "Notify", sms: "NotifySms" };

/**
 * The notification participant: at most one email, and at most one SMS, per (order,
 * template). Each channel has its own claim record saying whether its message went out; the
 * sender's idempotency key covers the gap between sending and recording. A refused address
 * or number is poison (dead-lettered with the reason) once both channels have had their
 * turn, so a bad email address does not keep the SMS from going out, nor the reverse. Any
 * other failure is rethrown so the message is retried; a channel that already went out is
 * not sent again.
 */
export function createNotificationHandler(deps: NotificationHandlerDeps) {
  const { claims, sender, now } = deps;

  return async function handleNotificationMessage(message: ReceivedMessage): Promise<void> {
    const command = parseReceived(NotificationCommandSchema, message);
    const { orderId, template, recipient, phone } = command.data;
    const idempotencyKey = notificationIdempotencyKey(orderId, template);

    /** Claim, send unless already sent or refused, record; one step line. */
    const deliverOnce = async (
      channel: NotificationChannel,
      to: string,
      send: (claim: StoredClaim) => Promise<{ readonly messageId: string }>,
    ): Promise<Delivery> => {
      const started = now().getTime();
      const log = (delivery: Delivery): Delivery => {
        message.log.info({
          orderId,
          correlationId: command.correlationid,
          step: `${STEP_PREFIX[channel]}:${template}`,
          outcome: delivery.outcome,
          durationMs: now().getTime() - started,
        });
        return delivery;
      };
      const claim = await claims.claim({
        id: notificationClaimId(orderId, template, channel),
        type: "notification",
        orderId,
        template,
        ...(channel === "email" ? {} : { channel }),
        state: "claimed",
        recipient: to,
        claimedAt: now().toISOString(),
      });
      if (claim.doc.state === "sent") return log({ outcome: "AlreadySent" });
      if (claim.doc.state === "rejected") {
        return log({
          outcome: "RecipientRejected",
          reason: claim.doc.rejection ?? "recipient rejected",
        });
      }
      try {
        const { messageId } = await send(claim);
        await claims.settle(claim, {
          ...claim.doc,
          state: "sent",
          sentAt: now().toISOString(),
          messageId,
        });
        return log({ outcome: "Sent" });
      } catch (error) {
        if (!(error instanceof EmailRejectedError || error instanceof SmsRejectedError)) {
          throw error;
        }
        await claims.settle(claim, { ...claim.doc, state: "rejected", rejection: error.detail });
        return log({ outcome: "RecipientRejected", reason: error.message });
      }
    };

    const email = await deliverOnce("email", recipient, () =>
      sender.send(
        { ...renderNotification(command.data), to: recipient, from: deps.senderAddress },
        { idempotencyKey },
      ),
    );
    const texting = deps.sms;
    const sms =
      texting !== undefined && phone !== undefined
        ? await deliverOnce("sms", phone, (claim) =>
            texting.sender.send(
              { to: phone, from: texting.from, message: renderSms(command.data) },
              { idempotencyKey, firstAttemptAt: new Date(claim.doc.claimedAt) },
            ),
          )
        : undefined;

    const reasons = [email, sms].flatMap((d) =>
      d?.outcome === "RecipientRejected" ? [d.reason] : [],
    );
    if (reasons.length === 0) return;
    throw new PoisonMessageError(
      email.outcome === "RecipientRejected" ? "RecipientRejected" : "SmsRecipientRejected",
      reasons.join("; "),
    );
  };
}
