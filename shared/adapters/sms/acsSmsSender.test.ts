import { SmsRejectedError } from "../../ports/smsSender";
import { operationIdFor } from "../email/acsEmailSender";
import { REPEATABILITY_WINDOW_MS, createAcsSmsSender } from "./acsSmsSender";
import { type FakeAcsSms, startFakeAcsSms } from "./testing/fakeAcsSms";

let acs: FakeAcsSms;
beforeEach(async () => {
  acs = await startFakeAcsSms();
});
afterEach(() => acs.close());

const sms = { to: "+447700900123", from: "+447700900000", message: "Your order o-1 has shipped." };
const claimedAt = new Date("2026-01-01T10:00:00Z");

/** The real SmsClient against the fake (plain HTTP), no SDK retries (redelivery retries). */
function sender(now = () => new Date("2026-01-01T10:00:30Z")) {
  return createAcsSmsSender({
    connection: { connectionString: acs.connectionString },
    now,
    clientOptions: { retryOptions: { maxRetries: 0 }, allowInsecureConnection: true },
  });
}

describe("createAcsSmsSender (the real SmsClient against a fake ACS SMS route)", () => {
  it("sends from, to and the text, and answers the service's message id", async () => {
    const sent = await sender().send(sms, {
      idempotencyKey: "o-1:OrderShipped",
      firstAttemptAt: claimedAt,
    });
    expect(acs.delivered).toEqual([{ ...sms, messageId: sent.messageId }]);
    expect(acs.requests[0]?.url).toMatch(/^\/sms\?api-version=2021-03-07$/);
  });

  it("repeats the same ACS request for the same key, so a re-send after a crash texts once", async () => {
    const options = { idempotencyKey: "o-1:OrderShipped", firstAttemptAt: claimedAt };
    const first = await sender().send(sms, options);
    const again = await sender(() => new Date("2026-01-01T10:02:00Z")).send(sms, options);
    expect(again.messageId).toBe(first.messageId);
    expect(acs.delivered).toHaveLength(1);
    const recipients = acs.requests.map((r) => r.body.smsRecipients);
    expect(recipients).toEqual([
      [
        {
          to: sms.to,
          repeatabilityRequestId: operationIdFor("o-1:OrderShipped"),
          repeatabilityFirstSent: "Thu, 01 Jan 2026 10:00:00 GMT",
        },
      ],
      recipients[0],
    ]);
    // The private headers that carry the values to the policy do not reach the service.
    expect(
      Object.keys(acs.requests[0]?.headers ?? {}).filter((h) => h.startsWith("x-op-")),
    ).toEqual([]);
  });

  it("gives another key another request id", async () => {
    await sender().send(sms, { idempotencyKey: "o-1:OrderShipped", firstAttemptAt: claimedAt });
    await sender().send(sms, { idempotencyKey: "o-1:OrderDelivered", firstAttemptAt: claimedAt });
    expect(acs.delivered).toHaveLength(2);
  });

  it("sends as a new request once the first attempt is past the service's repeat window", async () => {
    const late = new Date(claimedAt.getTime() + REPEATABILITY_WINDOW_MS + 1_000);
    await sender(() => late).send(sms, {
      idempotencyKey: "o-1:OrderShipped",
      firstAttemptAt: claimedAt,
    });
    expect(acs.requests[0]?.body.smsRecipients[0]?.repeatabilityFirstSent).toBe(late.toUTCString());
  });

  it("turns a per-recipient 400 into SmsRejectedError with the service's message", async () => {
    acs.refuse.add(sms.to);
    const sending = sender().send(sms, {
      idempotencyKey: "o-1:OrderShipped",
      firstAttemptAt: claimedAt,
    });
    await expect(sending).rejects.toBeInstanceOf(SmsRejectedError);
    await expect(sending).rejects.toMatchObject({
      recipient: sms.to,
      detail: "400: Invalid To phone number format.",
    });
    expect(acs.delivered).toEqual([]);
  });

  it("treats a 400 for the whole request as a rejection too", async () => {
    acs.failNext(400);
    await expect(
      sender().send(sms, { idempotencyKey: "o-1:OrderShipped", firstAttemptAt: claimedAt }),
    ).rejects.toBeInstanceOf(SmsRejectedError);
  });

  it("leaves a 503 as a plain error, so the message is retried", async () => {
    acs.failNext(503);
    const sending = sender().send(sms, {
      idempotencyKey: "o-1:OrderShipped",
      firstAttemptAt: claimedAt,
    });
    await expect(sending).rejects.toMatchObject({ statusCode: 503 });
    await expect(sending).rejects.not.toBeInstanceOf(SmsRejectedError);
  });
});
