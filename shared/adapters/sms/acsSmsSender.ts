import { SmsClient, type SmsClientOptions, type SmsSendResult } from "@azure/communication-sms";
import type { TokenCredential } from "@azure/identity";
import type { SmsSender } from "../../ports/smsSender";
import { SmsRejectedError } from "../../ports/smsSender";
import { operationIdFor } from "../email/acsEmailSender";

type PipelinePolicy = NonNullable<SmsClientOptions["additionalPolicies"]>[number]["policy"];

/**
 * How long ACS recognises a repeated request: 5 minutes from its first-sent time; a repeat
 * whose first-sent time is older is refused with 412 (learn.microsoft.com/rest/api/
 * communication/repeatable-requests). We claim the repeat only well inside that window.
 */
export const REPEATABILITY_WINDOW_MS = 4 * 60_000;

const REQUEST_ID_HEADER = "x-op-sms-repeatability-request-id";
const FIRST_SENT_HEADER = "x-op-sms-repeatability-first-sent";

/**
 * The SDK gives each recipient a fresh random `repeatabilityRequestId` and the current time
 * as `repeatabilityFirstSent` (Sms - Send, api-version 2021-03-07, body field
 * `smsRecipients[]`), so a re-send after a crash would be a second SMS. This policy swaps in
 * the values the sender passes per call (as two private headers it then removes). It runs
 * after the body is serialised and before the request is signed.
 */
export const smsRepeatabilityPolicy: PipelinePolicy = {
  name: "orderProcessingSmsRepeatability",
  sendRequest(request, next) {
    const requestId = request.headers.get(REQUEST_ID_HEADER);
    const firstSent = request.headers.get(FIRST_SENT_HEADER);
    request.headers.delete(REQUEST_ID_HEADER);
    request.headers.delete(FIRST_SENT_HEADER);
    if (requestId !== undefined && firstSent !== undefined && typeof request.body === "string") {
      const body = JSON.parse(request.body) as { smsRecipients?: Record<string, unknown>[] };
      for (const recipient of body.smsRecipients ?? []) {
        recipient.repeatabilityRequestId = requestId;
        recipient.repeatabilityFirstSent = firstSent;
      }
      request.body = JSON.stringify(body);
    }
    return next(request);
  },
};

/**
 * Where and as whom: in Azure the Communication Services endpoint (ACS_ENDPOINT) with
 * DefaultAzureCredential (the managed identity); tests use a connection string with a key.
 */
export type AcsSmsConnection =
  | { readonly endpoint: string; readonly credential: TokenCredential }
  | { readonly connectionString: string };

export interface AcsSmsSenderOptions {
  readonly connection: AcsSmsConnection;
  readonly now?: () => Date;
  /** More client options (tests turn the SDK's retries off). */
  readonly clientOptions?: SmsClientOptions;
}

/**
 * SMS through Azure Communication Services, one recipient per send. The repeatability id
 * derives from the idempotency key and the first-sent time is the claim's, so a repeated send
 * after a crash is the same ACS request, not a second SMS. A per-recipient 400 (or a 400 for
 * the request) means the number will never work: `SmsRejectedError`, dead-lettered; anything
 * else is transient and retried.
 */
export function createAcsSmsSender(options: AcsSmsSenderOptions): SmsSender {
  const clientOptions: SmsClientOptions = {
    ...options.clientOptions,
    additionalPolicies: [
      ...(options.clientOptions?.additionalPolicies ?? []),
      { policy: smsRepeatabilityPolicy, position: "perCall" },
    ],
  };
  const { connection } = options;
  const client =
    "connectionString" in connection
      ? new SmsClient(connection.connectionString, clientOptions)
      : new SmsClient(connection.endpoint, connection.credential, clientOptions);
  const now = options.now ?? (() => new Date());
  return {
    async send(sms, sendOptions) {
      const first = sendOptions.firstAttemptAt;
      // Past the window ACS would refuse the repeat (412) forever: send as a new request.
      const firstSent = now().getTime() - first.getTime() < REPEATABILITY_WINDOW_MS ? first : now();
      let result: SmsSendResult | undefined;
      try {
        [result] = await client.send(
          { from: sms.from, to: [sms.to], message: sms.message },
          {
            abortSignal: sendOptions.abortSignal,
            requestOptions: {
              customHeaders: {
                [REQUEST_ID_HEADER]: operationIdFor(sendOptions.idempotencyKey),
                [FIRST_SENT_HEADER]: firstSent.toUTCString(),
              },
            },
          },
        );
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 400) {
          throw new SmsRejectedError(sms.to, `400: ${(error as Error).message}`);
        }
        throw error; // transient or unknown: the message is retried
      }
      if (result === undefined) throw new Error("ACS SMS answered no result for the recipient");
      if (result.successful) return { messageId: result.messageId ?? "" };
      const detail = `${result.httpStatusCode}: ${result.errorMessage ?? "refused"}`;
      if (result.httpStatusCode === 400) throw new SmsRejectedError(sms.to, detail);
      throw new Error(`ACS SMS send failed ${detail}`);
    },
  };
}
