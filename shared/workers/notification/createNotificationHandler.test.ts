import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { createEmlFileSender } from "../../adapters/email/emlFileSender";
import { recordingInvocation } from "../../adapters/logging/testing/recordingInvocation";
import type { EmailSender, SmsSender } from "../../ports";
import { createSmsFileSender } from "../../adapters/sms/smsFileSender";
import { SendNotificationSchema } from "../../contracts/messages/sendNotification";
import type { SendNotificationData } from "../../contracts/messages/sendNotification";
import { PoisonMessageError } from "../poisonMessageError";
import type { WorkerTestbed } from "../testing/workerTestbed";
import { aCommand, startWorkerTestbed } from "../testing/workerTestbed";
import { createNotificationHandler } from "./createNotificationHandler";
import { CosmosNotificationClaims } from "../../adapters/cosmos/cosmosNotificationClaims";
import { notificationClaimId } from "../../ports";

let bed: WorkerTestbed;
let outbox: string;
beforeAll(async () => {
  bed = await startWorkerTestbed();
});
afterAll(() => bed.close());
beforeEach(async () => {
  outbox = await mkdtemp(path.join(tmpdir(), "outbox-"));
});
afterEach(() => rm(outbox, { recursive: true, force: true }));

let seq = 0;
const nextOrder = () => `note-order-${++seq}`;

function setup(wrap: (inner: EmailSender) => EmailSender = (s) => s) {
  let sends = 0;
  const inner = createEmlFileSender(outbox);
  const counted: EmailSender = {
    send: (email, options) => {
      sends++;
      return inner.send(email, options);
    },
  };
  const handle = createNotificationHandler({
    claims: new CosmosNotificationClaims(bed.ledger),
    sender: wrap(counted),
    senderAddress: "orders@example.test",
    now: () => new Date("2026-01-01T00:00:05Z"),
  });
  return { handle, sends: () => sends };
}

const shipped = (orderId: string, recipient = "ada@example.com"): SendNotificationData => ({
  orderId,
  recipient,
  template: "OrderShipped",
});

describe("createNotificationHandler", () => {
  it("writes each delivery's step line to that invocation's log, without the address", async () => {
    const { handle } = setup();
    const order = nextOrder();
    const message = aCommand(SendNotificationSchema, shipped(order));
    const first = recordingInvocation("notificationWorker");
    const repeat = recordingInvocation("notificationWorker");
    await handle({ ...message, log: first.log });
    await handle({ ...message, log: repeat.log });
    const line = { orderId: order, correlationId: `corr-${order}`, step: "Notify:OrderShipped" };
    expect(first.steps()).toEqual([
      { level: "information", fields: { ...line, outcome: "Sent", durationMs: 0 } },
    ]);
    expect(repeat.steps()).toEqual([
      { level: "information", fields: { ...line, outcome: "AlreadySent", durationMs: 0 } },
    ]);
    expect(first.lines.map((l) => l.message).join("\n")).not.toContain("ada@example.com");
  });

  it("sends one email per (order, template) whatever the redeliveries", async () => {
    const { handle, sends } = setup();
    const order = nextOrder();
    const message = aCommand(SendNotificationSchema, shipped(order));
    await handle(message);
    await handle(message);
    await handle(aCommand(SendNotificationSchema, shipped(order)));
    expect(await readdir(outbox)).toEqual([`${order}_OrderShipped.eml`]);
    expect(sends()).toBe(1);
    const { resource } = await bed.ledger
      .item(notificationClaimId(order, "OrderShipped"), order)
      .read();
    expect(resource).toMatchObject({ state: "sent", recipient: "ada@example.com" });
  });

  it("sends no second email when the process died between sending and recording", async () => {
    const order = nextOrder();
    let crash = true;
    const first = setup((inner) => ({
      send: async (email, options) => {
        const sent = await inner.send(email, options);
        if (crash) throw new Error("process died");
        return sent;
      },
    }));
    const message = aCommand(SendNotificationSchema, shipped(order));
    await expect(first.handle(message)).rejects.toThrow("process died");
    crash = false;
    await first.handle(message);
    expect(await readdir(outbox)).toEqual([`${order}_OrderShipped.eml`]);
  });

  it("dead-letters a rejected address with the reason, and keeps refusing it", async () => {
    const { handle } = setup();
    const order = nextOrder();
    const message = aCommand(SendNotificationSchema, shipped(order, "ada@nowhere.invalid"));
    await expect(handle(message)).rejects.toMatchObject({ deadLetterReason: "RecipientRejected" });
    await expect(handle(message)).rejects.toBeInstanceOf(PoisonMessageError);
    expect(await readdir(outbox)).toEqual([]);
  });

  it("rethrows a transient failure so the message is retried", async () => {
    const { handle } = setup(() => ({ send: () => Promise.reject(new Error("ACS 503")) }));
    await expect(handle(aCommand(SendNotificationSchema, shipped(nextOrder())))).rejects.toThrow(
      "ACS 503",
    );
  });
});

describe("createNotificationHandler with SMS", () => {
  const PHONE = "+447700900123";
  const SENDER_NUMBER = "+447700900000";

  function setupSms(wrap: (inner: SmsSender) => SmsSender = (s) => s) {
    let emails = 0;
    let texts = 0;
    const email = createEmlFileSender(outbox);
    const sms = createSmsFileSender(outbox);
    const handle = createNotificationHandler({
      claims: new CosmosNotificationClaims(bed.ledger),
      sender: {
        send: (message, options) => {
          emails++;
          return email.send(message, options);
        },
      },
      senderAddress: "orders@example.test",
      sms: {
        sender: wrap({
          send: (message, options) => {
            texts++;
            return sms.send(message, options);
          },
        }),
        from: SENDER_NUMBER,
      },
      now: () => new Date("2026-01-01T00:00:05Z"),
    });
    return { handle, emails: () => emails, texts: () => texts };
  }

  const confirmed = (orderId: string, phone?: string, recipient = "ada@example.com") =>
    aCommand(SendNotificationSchema, {
      orderId,
      recipient,
      ...(phone === undefined ? {} : { phone }),
      template: "OrderConfirmed",
      items: [
        { sku: "SKU-1", name: "Pen", quantity: 2, lineTotal: { amount: 9798, currency: "USD" } },
      ],
      total: { amount: 9798, currency: "USD" },
    });

  it("texts the order's phone once and emails once, whatever the redeliveries", async () => {
    const { handle, emails, texts } = setupSms();
    const order = nextOrder();
    const message = confirmed(order, PHONE);
    const first = recordingInvocation("notificationWorker");
    await handle({ ...message, log: first.log });
    await handle(message);
    await handle(confirmed(order, PHONE));
    expect((await readdir(outbox)).sort()).toEqual([
      `${order}_OrderConfirmed.eml`,
      `${order}_OrderConfirmed.sms`,
    ]);
    expect({ emails: emails(), texts: texts() }).toEqual({ emails: 1, texts: 1 });
    const sms = await readFile(path.join(outbox, `${order}_OrderConfirmed.sms`), "utf8");
    expect(sms).toContain(`From: ${SENDER_NUMBER}\nTo: ${PHONE}\n`);
    expect(sms).toContain(`Your order ${order} is confirmed. Total $97.98.`);
    const { resource } = await bed.ledger
      .item(notificationClaimId(order, "OrderConfirmed", "sms"), order)
      .read();
    expect(resource).toMatchObject({ state: "sent", channel: "sms", recipient: PHONE });
    expect(first.steps().map((s) => [s.fields.step, s.fields.outcome])).toEqual([
      ["Notify:OrderConfirmed", "Sent"],
      ["NotifySms:OrderConfirmed", "Sent"],
    ]);
    expect(first.lines.map((l) => l.message).join("\n")).not.toContain(PHONE);
  });

  it("sends no SMS for an order without a phone", async () => {
    const { handle, texts } = setupSms();
    const order = nextOrder();
    await handle(confirmed(order));
    expect(await readdir(outbox)).toEqual([`${order}_OrderConfirmed.eml`]);
    expect(texts()).toBe(0);
  });

  it("sends no SMS when the app has no sender number, phone or not", async () => {
    const { handle } = setup();
    const order = nextOrder();
    await handle(confirmed(order, PHONE));
    expect(await readdir(outbox)).toEqual([`${order}_OrderConfirmed.eml`]);
  });

  it("dead-letters a refused number with the reason after emailing, and keeps refusing it", async () => {
    const { handle, emails, texts } = setupSms();
    const order = nextOrder();
    const message = confirmed(order, "+14255550123");
    await expect(handle(message)).rejects.toMatchObject({
      deadLetterReason: "SmsRecipientRejected",
      deadLetterErrorDescription: expect.stringContaining("+14255550123"),
    });
    await expect(handle(message)).rejects.toMatchObject({
      deadLetterReason: "SmsRecipientRejected",
    });
    expect(await readdir(outbox)).toEqual([`${order}_OrderConfirmed.eml`]);
    expect({ emails: emails(), texts: texts() }).toEqual({ emails: 1, texts: 1 });
    const { resource } = await bed.ledger
      .item(notificationClaimId(order, "OrderConfirmed", "sms"), order)
      .read();
    expect(resource).toMatchObject({
      state: "rejected",
      rejection: expect.stringMatching(/^400: /),
    });
  });

  it("still texts when the email address is refused, and dead-letters for the address", async () => {
    const { handle } = setupSms();
    const order = nextOrder();
    await expect(handle(confirmed(order, PHONE, "ada@nowhere.invalid"))).rejects.toMatchObject({
      deadLetterReason: "RecipientRejected",
    });
    expect(await readdir(outbox)).toEqual([`${order}_OrderConfirmed.sms`]);
  });

  it("retries a transient SMS failure without emailing again", async () => {
    let failures = 1;
    const { handle, emails } = setupSms((inner) => ({
      send: (message, options) =>
        failures-- > 0 ? Promise.reject(new Error("ACS 503")) : inner.send(message, options),
    }));
    const order = nextOrder();
    const message = confirmed(order, PHONE);
    await expect(handle(message)).rejects.toThrow("ACS 503");
    await handle(message);
    expect((await readdir(outbox)).sort()).toEqual([
      `${order}_OrderConfirmed.eml`,
      `${order}_OrderConfirmed.sms`,
    ]);
    expect(emails()).toBe(1);
  });

  it("sends no second SMS when the process died between texting and recording", async () => {
    let crash = true;
    const firstAttempts: Date[] = [];
    const { handle } = setupSms((inner) => ({
      send: async (message, options) => {
        firstAttempts.push(options.firstAttemptAt);
        const sent = await inner.send(message, options);
        if (crash) throw new Error("process died");
        return sent;
      },
    }));
    const order = nextOrder();
    const message = confirmed(order, PHONE);
    await expect(handle(message)).rejects.toThrow("process died");
    crash = false;
    await handle(message);
    expect((await readdir(outbox)).filter((f) => f.endsWith(".sms"))).toEqual([
      `${order}_OrderConfirmed.sms`,
    ]);
    // The re-send names the first attempt's time, which is what makes it a repeat to ACS.
    expect(firstAttempts).toEqual([firstAttempts[0], firstAttempts[0]]);
  });
});
