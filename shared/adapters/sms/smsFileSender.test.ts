import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { SmsRejectedError } from "../../ports/smsSender";
import { REJECTED_TEST_NUMBERS, createSmsFileSender, smsFileName } from "./smsFileSender";

const sms = {
  to: "+447700900123",
  from: "+447700900000",
  message: "Order Processing: Your order order-1 is confirmed. Total $97.98.",
};
const options = (idempotencyKey: string) => ({
  idempotencyKey,
  firstAttemptAt: new Date("2026-01-01T00:00:00Z"),
});

describe("createSmsFileSender", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "sms-outbox-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("writes one .sms file per idempotency key, however often and concurrently sent", async () => {
    const sender = createSmsFileSender(dir, () => new Date("2026-01-01T00:00:01Z"));
    const sent = await Promise.all(
      [1, 2, 3].map(() => sender.send(sms, options("order-1:OrderConfirmed"))),
    );
    expect(await readdir(dir)).toEqual([smsFileName("order-1:OrderConfirmed")]);
    expect(new Set(sent.map((s) => s.messageId)).size).toBe(1);
    const text = await readFile(path.join(dir, "order-1_OrderConfirmed.sms"), "utf8");
    expect(text).toBe(
      [
        "From: +447700900000",
        "To: +447700900123",
        "Date: 2026-01-01T00:00:01.000Z",
        `Message-ID: ${sent[0]?.messageId}`,
        "",
        sms.message,
        "",
      ].join("\n"),
    );
  });

  it("writes a file per key: another template or order is another SMS", async () => {
    const sender = createSmsFileSender(dir);
    await sender.send(sms, options("order-1:OrderConfirmed"));
    await sender.send(sms, options("order-1:OrderShipped"));
    await sender.send(sms, options("order-2:OrderConfirmed"));
    expect((await readdir(dir)).sort()).toEqual([
      "order-1_OrderConfirmed.sms",
      "order-1_OrderShipped.sms",
      "order-2_OrderConfirmed.sms",
    ]);
  });

  it.each(["+14255550100", "+12125550199"])(
    "refuses %s (the fictional 555-01XX range) as ACS refuses a number, writing nothing",
    async (to) => {
      const sender = createSmsFileSender(dir);
      const sending = sender.send({ ...sms, to }, options("order-1:OrderConfirmed"));
      await expect(sending).rejects.toBeInstanceOf(SmsRejectedError);
      await expect(sending).rejects.toMatchObject({
        recipient: to,
        detail: expect.stringMatching(/^400: /),
      });
      expect(await readdir(dir)).toEqual([]);
    },
  );

  it("accepts the numbers just outside the refused range", () => {
    for (const to of ["+14255550200", "+14255550099", "+447700900123", "+14255560100"])
      expect({ to, refused: REJECTED_TEST_NUMBERS.test(to) }).toEqual({ to, refused: false });
  });
});
