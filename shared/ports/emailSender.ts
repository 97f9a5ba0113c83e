import type { RenderedEmail } from "../notifications/renderNotification";

/** One email to one recipient. */
export interface OutgoingEmail extends RenderedEmail {
  readonly to: string;
  readonly from: string;
}

export interface SendEmailOptions {
  /**
   * `${orderId}:${template}`. The sender makes a repeat with the same key a no-op (ACS
   * operation id, exclusive file name), which is what keeps a redelivery that follows a
   * crash between sending and recording from sending twice.
   */
  readonly idempotencyKey: string;
  readonly abortSignal?: AbortSignal;
}

/** Sends email; ACS in Azure, `.eml` files locally. */
export interface EmailSender {
  send(email: OutgoingEmail, options: SendEmailOptions): Promise<{ readonly messageId: string }>;
}

/** The service refused the address: permanent, so the message is dead-lettered, not retried. */
export class EmailRejectedError extends Error {
  readonly code = "RecipientRejected" as const;
  constructor(
    readonly recipient: string,
    readonly detail: string,
  ) {
    super(`recipient ${recipient} rejected: ${detail}`);
    this.name = "EmailRejectedError";
  }
}
