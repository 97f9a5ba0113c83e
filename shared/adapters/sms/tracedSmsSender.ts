import type { SmsSender } from "../../ports/smsSender";
import { inNotificationSpan } from "../../telemetry/notificationSpan";

/**
 * An SmsSender whose every send is a CLIENT span (`send sms`), as tracedEmailSender does for
 * email: the ACS SDK's spans nest under it; the local `.sms` files have none of their own.
 */
export function tracedSmsSender(sender: SmsSender, transport: "acs" | "outbox"): SmsSender {
  return {
    send: (sms, options) =>
      inNotificationSpan("sms", transport, options.idempotencyKey, () => sender.send(sms, options)),
  };
}
