import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { EmailSender, OutgoingEmail } from "../../ports/emailSender";
import { EmailRejectedError } from "../../ports/emailSender";

/**
 * Local email: one RFC 5322 message per file in EMAIL_OUTBOX_DIR, named after the
 * idempotency key. The file is written under a temporary name and then hard-linked to its
 * final name, which fails if it exists: the email appears whole and at most once, however
 * many deliveries race. Addresses in the reserved `.invalid` TLD (RFC 2606) are refused
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
      await fs.mkdir(outboxDir, { recursive: true });
      const name = emlFileName(options.idempotencyKey);
      const messageId = `<${createHash("sha256").update(options.idempotencyKey).digest("hex").slice(0, 32)}@order-processing.local>`;
      const final = path.join(outboxDir, name);
      const temp = path.join(outboxDir, `.${name}.${process.pid}.${Date.now()}.tmp`);
      await fs.writeFile(temp, toRfc5322(email, messageId, now()), "utf8");
      try {
        await fs.link(temp, final);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      } finally {
        await fs.rm(temp, { force: true });
      }
      return { messageId };
    },
  };
}

/** `order-1:OrderConfirmed` → `order-1_OrderConfirmed.eml` (safe on every file system). */
export function emlFileName(idempotencyKey: string): string {
  return `${idempotencyKey.replace(/[^A-Za-z0-9._-]/g, "_")}.eml`;
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
