import type { SendNotificationData } from "../contracts/messages/sendNotification";
import { CANCEL_TEXT, FAILURE_TEXT, formatMoney } from "./renderNotification";

/**
 * The same five lifecycle messages as the emails, as one short plain text each (no greeting,
 * no item list: a text message is read at a glance and billed per segment). The wording of
 * reasons and amounts is the emails' own, so the two channels say the same thing.
 */
export function renderSms(data: SendNotificationData): string {
  const order = `order ${data.orderId}`;
  let text: string;
  switch (data.template) {
    case "OrderConfirmed":
      text = `Your ${order} is confirmed. Total ${formatMoney(data.total)}.`;
      break;
    case "OrderCancelled":
      text = `${`Your ${order} was cancelled ${CANCEL_TEXT[data.reason] ?? ""}`.trimEnd()}. ${
        data.refund.amount > 0
          ? `${formatMoney(data.refund)} goes back to your card.`
          : "Your card was not charged."
      }`;
      break;
    case "OrderFailed":
      text = `We could not complete your ${order}: ${FAILURE_TEXT[data.reason] ?? "something went wrong"}. Your card was not charged.`;
      break;
    case "OrderShipped":
      text = `Your ${order} has shipped.`;
      break;
    case "OrderDelivered":
      text = `Your ${order} was delivered.`;
      break;
  }
  return `Order Processing: ${text}`;
}
