import type { EmailSender } from "../../ports/emailSender";
import { ATTR_ORDER_ID, ATTR_SAGA_STEP } from "../../telemetry/semconv";
import { SpanKind, inSpan } from "../../telemetry/tracer";

/**
 * An EmailSender whose every send is a CLIENT span (`send email`), named after the
 * notification it carries. The ACS SDK's own spans (through @azure/core-tracing) nest under
 * it; the local `.eml` outbox has none of its own.
 */
export function tracedEmailSender(sender: EmailSender, transport: "acs" | "outbox"): EmailSender {
  return {
    send(email, options) {
      // The key is `${orderId}:${template}` (SendEmailOptions).
      const cut = options.idempotencyKey.lastIndexOf(":");
      const orderId = cut > 0 ? options.idempotencyKey.slice(0, cut) : options.idempotencyKey;
      const template = cut > 0 ? options.idempotencyKey.slice(cut + 1) : "";
      return inSpan(
        "send email",
        {
          kind: SpanKind.CLIENT,
          attributes: {
            [ATTR_ORDER_ID]: orderId,
            [ATTR_SAGA_STEP]: `Notify:${template}`,
            "email.transport": transport,
          },
        },
        () => sender.send(email, options),
      );
    },
  };
}
