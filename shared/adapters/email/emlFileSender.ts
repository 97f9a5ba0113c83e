import { createHash } from "node:crypto";
import type { EmailSender, OutgoingEmail } from "../../ports/emailSender";
import { EmailRejectedError } from "../../ports/emailSender";
import { fileStem, writeFileOnce } from "../files/writeFileOnce";

/**
 * Local email: one RFC 5322 message per file in EMAIL_OUTBOX_DIR, named after the
 * idempotency key and written with `writeFileOnce`: the email appears whole and at most
 * once, however many deliveries race. Addresses in the reserved `.invalid` TLD (RFC 2606) are refused
 * the way a mail service refuses an unknown mailbox, so the rejection path can be tried
 * locally.
 */
export function createEmlFileSender(
  outboxDir: string,
  now: () => Date = () => new Date(),
): EmailSender {
  return {
    async send(email, options) {
      if (/\.invalid$/i.test(email.to.trim())) {
        throw new EmailRejectedError(email.to, "550 5.1.2 domain does not accept mail (.invalid)");
      }
      const messageId = `<${createHash("sha256").update(options.idempotencyKey).digest("hex").slice(0, 32)}@order-processing.local>`;
      await writeFileOnce(
        outboxDir,
        emlFileName(options.idempotencyKey),
        toRfc5322(email, messageId, now()),
      );
      return { messageId };
    },
  };
}

/** `order-1:OrderConfirmed` → `order-1_OrderConfirmed.eml` (safe on every file system). */
export function emlFileName(idempotencyKey: string): string {
  return `${fileStem(idempotencyKey)}.eml`;
}

/** RFC 5322 with a MIME multipart/alternative body (RFC 2046): text first, HTML preferred. */
export function toRfc5322(email: OutgoingEmail, messageId: string, date: Date): string {
  const boundary = `=_alt_${createHash("sha256").update(messageId).digest("hex").slice(0, 24)}`;
  const crlf = (text: string) => text.replace(/\r?\n/g, "\r\n");
  const lines = [
    `From: ${email.from}`,
    `To: ${email.to}`,
    `Subject: ${encodeHeader(email.subject)}`,
    `Date: ${date.toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: ${messageId}`,
    "MIME-Version: 1.0",
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
    "",
    crlf(email.text),
    `--${boundary}`,
    "Content-Type: text/html; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
    "",
    crlf(email.html),
    `--${boundary}--`,
    "",
  ];
  return lines.join("\r\n");
}

/** Non-ASCII header text as an RFC 2047 encoded word. */
function encodeHeader(text: string): string {
  return /^[\x20-\x7e]*$/.test(text)
    ? text
    : `=?utf-8?B?${Buffer.from(text, "utf8").toString("base64")}?=`;
}
