import { createHash } from "node:crypto";
import type { OutgoingSms, SmsSender } from "../../ports/smsSender";
import { SmsRejectedError } from "../../ports/smsSender";
import { fileStem, writeFileOnce } from "../files/writeFileOnce";

/**
 * North American numbers 555-0100 to 555-0199 in any area code: NANPA keeps them for
 * fictional use, so no carrier serves them. Locally they stand for a number the SMS service
 * refuses, the way `.invalid` addresses stand for a refused mailbox.
 */
export const REJECTED_TEST_NUMBERS = /^\+1[2-9]\d{2}55501\d{2}$/;

/**
 * Local SMS: one text file per message in EMAIL_OUTBOX_DIR, beside the `.eml` files, named
 * `<orderId>_<template>.sms` after the idempotency key and written with `writeFileOnce`: it
 * appears whole and at most once, however many deliveries race. A number in
 * {@link REJECTED_TEST_NUMBERS} is refused with the answer ACS gives a number it cannot
 * text (a per-recipient 400), so the dead-letter path can be tried locally.
 */
export function createSmsFileSender(
  outboxDir: string,
  now: () => Date = () => new Date(),
): SmsSender {
  return {
    async send(sms, options) {
      if (REJECTED_TEST_NUMBERS.test(sms.to)) {
        throw new SmsRejectedError(sms.to, "400: the number is in the fictional 555-01XX range");
      }
      const messageId = `Outgoing_${createHash("sha256").update(options.idempotencyKey).digest("hex").slice(0, 32)}`;
      await writeFileOnce(
        outboxDir,
        smsFileName(options.idempotencyKey),
        smsFileText(sms, messageId, now()),
      );
      return { messageId };
    },
  };
}

/** `order-1:OrderConfirmed` → `order-1_OrderConfirmed.sms`. */
export function smsFileName(idempotencyKey: string): string {
  return `${fileStem(idempotencyKey)}.sms`;
}

/** Header lines like an email's (so the files read alike), a blank line, then the text. */
export function smsFileText(sms: OutgoingSms, messageId: string, date: Date): string {
  return [
    `From: ${sms.from}`,
    `To: ${sms.to}`,
    `Date: ${date.toISOString()}`,
    `Message-ID: ${messageId}`,
    "",
    sms.message,
    "",
  ].join("\n");
}
