import { createHash } from "node:crypto";
import type { EmailClient, EmailSendResponse } from "@azure/communication-email";
import type { EmailSender } from "../../ports/emailSender";
import { EmailRejectedError } from "../../ports/emailSender";

/** ACS error codes that mean "this address will never work", as opposed to a hiccup. */
const REJECTION_CODES = new Set([
  "InvalidRecipient",
  "InvalidRecipients",
  "EmailDropped",
  "BadRequest",
]);

export interface AcsEmailSenderOptions {
  /** Poll interval while ACS processes the send. */
  readonly updateIntervalInMs?: number;
}

/**
 * Email through Azure Communication Services: `beginSend`, then poll to completion. The
 * operation id is derived from the idempotency key, so a repeated send after a crash is
 * the same ACS operation rather than a second email (ACS repeatability). The client is
 * built by the composition root with DefaultAzureCredential (no connection string).
 */
export function createAcsEmailSender(
  client: EmailClient,
  options: AcsEmailSenderOptions = {},
): EmailSender {
  return {
    async send(email, sendOptions) {
      let result: EmailSendResponse;
      try {
        const poller = await client.beginSend(
          {
            senderAddress: email.from,
            recipients: { to: [{ address: email.to }] },
            content: { subject: email.subject, plainText: email.text, html: email.html },
          },
          {
            operationId: operationIdFor(sendOptions.idempotencyKey),
            updateIntervalInMs: options.updateIntervalInMs ?? 1_000,
            abortSignal: sendOptions.abortSignal,
          },
        );
        result = await poller.pollUntilDone({ abortSignal: sendOptions.abortSignal });
      } catch (error) {
        const code = (error as { code?: string }).code;
        const status = (error as { statusCode?: number }).statusCode;
        if ((code && REJECTION_CODES.has(code)) || status === 400) {
          throw new EmailRejectedError(email.to, `${code ?? status}: ${(error as Error).message}`);
        }
        throw error; // transient or unknown: the message is retried
      }
      if (result.status === "Succeeded") return { messageId: result.id };
      const code = result.error?.code ?? result.status;
      if (REJECTION_CODES.has(code))
        throw new EmailRejectedError(email.to, `${code}: ${result.error?.message ?? ""}`);
      throw new Error(
        `ACS send ${result.id} ended ${result.status}: ${code} ${result.error?.message ?? ""}`,
      );
    },
  };
}

/** A UUID-shaped id from the key (ACS operation ids are UUIDs); same key, same id. */
export function operationIdFor(idempotencyKey: string): string {
  const hex = createHash("sha256").update(idempotencyKey).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
