import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { createEmlFileSender } from "../../adapters/email/emlFileSender";
import { recordingInvocation } from "../../adapters/logging/testing/recordingInvocation";
import type { EmailSender } from "../../ports";
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
