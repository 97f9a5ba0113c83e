/** One text message to one phone number (both E.164). */
export interface OutgoingSms {
  readonly to: string;
  readonly from: string;
  readonly message: string;
}

export interface SendSmsOptions {
  /**
   * `${orderId}:${template}`, as for email. The sender makes a repeat with the same key a
   * no-op (ACS repeatable request, exclusive file name), which is what keeps a redelivery
   * that follows a crash between sending and recording from texting twice.
   */
  readonly idempotencyKey: string;
  /**
   * When this SMS was first attempted (the claim's time): ACS recognises a repeated request
   * only together with the time it was first sent.
   */
  readonly firstAttemptAt: Date;
  readonly abortSignal?: AbortSignal;
}

/** Sends SMS; ACS in Azure, `.sms` files locally. */
export interface SmsSender {
  send(sms: OutgoingSms, options: SendSmsOptions): Promise<{ readonly messageId: string }>;
}

/** The service refused the number: permanent, so the message is dead-lettered, not retried. */
export class SmsRejectedError extends Error {
  readonly code = "SmsRecipientRejected" as const;
  constructor(
    readonly recipient: string,
    readonly detail: string,
  ) {
    super(`phone number ${recipient} rejected: ${detail}`);
    this.name = "SmsRejectedError";
  }
}
