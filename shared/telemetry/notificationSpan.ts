import { ATTR_ORDER_ID, ATTR_SAGA_STEP } from "./semconv";
import { SpanKind, inSpan } from "./tracer";

/**
 * Runs one notification send (`channel` email or sms) in a CLIENT span named `send <channel>`,
 * with the order and the notification it carries. The idempotency key is
 * `${orderId}:${template}` for both channels (SendEmailOptions, SendSmsOptions).
 */
export function inNotificationSpan<T>(
  channel: "email" | "sms",
  transport: string,
  idempotencyKey: string,
  send: () => Promise<T>,
): Promise<T> {
  const cut = idempotencyKey.lastIndexOf(":");
  const orderId = cut > 0 ? idempotencyKey.slice(0, cut) : idempotencyKey;
  const template = cut > 0 ? idempotencyKey.slice(cut + 1) : "";
  return inSpan(
    `send ${channel}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        [ATTR_ORDER_ID]: orderId,
        [ATTR_SAGA_STEP]: `Notify:${template}`,
        [`${channel}.transport`]: transport,
      },
    },
    send,
  );
}
