import type { EmailSender } from "../../ports/emailSender";
import { inNotificationSpan } from "../../telemetry/notificationSpan";

/**
 * An EmailSender whose every send is a CLIENT span (`send email`), named after the
 * notification it carries. The ACS SDK's own spans (through @azure/core-tracing) nest under
 * it; the local `.eml` outbox has none of its own.
 */
export function tracedEmailSender(sender: EmailSender, transport: "acs" | "outbox"): EmailSender {
  return {
    send: (email, options) =>
      inNotificationSpan("email", transport, options.idempotencyKey, () =>
        sender.send(email, options),
      ),
  };
}
