import Long from "long";
import { ServiceBusClient, type ServiceBusReceivedMessage } from "@azure/service-bus";
import { startServiceBusEmulator, type ServiceBusEmulator } from "./index";
import { testTopology, waitFor } from "./testing/topology";

describe("sending through @azure/service-bus", () => {
  let emulator: ServiceBusEmulator;
  let client: ServiceBusClient;

  beforeAll(async () => {
    emulator = await startServiceBusEmulator({
      port: 0,
      config: testTopology({
        queues: {
          single: {},
          array: {},
          batch: {},
          scheduled: {},
          ttl: { DeadLetteringOnMessageExpiration: true },
          "ttl-drop": { DeadLetteringOnMessageExpiration: false, DefaultMessageTimeToLive: "PT1S" },
          dedupe: { RequiresDuplicateDetection: true, DuplicateDetectionHistoryTimeWindow: "PT1M" },
          peek: {},
        },
        topics: { "scheduled-topic": { subscriptions: { one: {}, two: {} } } },
      }),
    });
    client = new ServiceBusClient(emulator.connectionString);
  });

  afterAll(async () => {
    await client.close();
    await emulator.close();
  });

  async function drain(queue: string, count: number): Promise<ServiceBusReceivedMessage[]> {
    const receiver = client.createReceiver(queue, { receiveMode: "receiveAndDelete" });
    const out: ServiceBusReceivedMessage[] = [];
    try {
      while (out.length < count) {
        const got = await receiver.receiveMessages(count - out.length, { maxWaitTimeInMs: 3000 });
        if (got.length === 0) break;
        out.push(...got);
      }
    } finally {
      await receiver.close();
    }
    return out;
  }

  it("round-trips every property of one message; the broker sets sequence number and enqueued time", async () => {
    const before = Date.now();
    await client.createSender("single").sendMessages({
      body: { order: "o-1", lines: [1, 2], nested: { ok: true } },
      messageId: "m-1",
      correlationId: "o-1",
      subject: "OrderPlaced",
      contentType: "application/json",
      applicationProperties: { type: "OrderPlaced", n: 42, flag: true },
      timeToLive: 60_000,
      to: "saga",
      replyTo: "saga-replies",
    });
    const [m] = await drain("single", 1);
    expect(m).toMatchObject({
      body: { order: "o-1", lines: [1, 2], nested: { ok: true } },
      messageId: "m-1",
      correlationId: "o-1",
      subject: "OrderPlaced",
      contentType: "application/json",
      applicationProperties: { type: "OrderPlaced", n: 42, flag: true },
      timeToLive: 60_000,
      to: "saga",
      replyTo: "saga-replies",
    });
    expect(m?.sequenceNumber?.toNumber()).toBeGreaterThan(0);
    expect(m?.enqueuedTimeUtc?.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(m?.expiresAtUtc?.getTime()).toBe(m!.enqueuedTimeUtc!.getTime() + 60_000);
  });

  it("sends an array with JSON bodies of any type and a binary body, in order", async () => {
    const bodies = ["text", 7, null, [1, "a"], { a: 1 }, true];
    await client
      .createSender("array")
      .sendMessages([...bodies.map((body) => ({ body })), { body: Buffer.from([0, 1, 2, 255]) }]);
    const got = await drain("array", 7);
    expect(got.slice(0, 6).map((m): unknown => m.body)).toEqual(bodies);
    expect(Buffer.from(got[6]!.body as Buffer)).toEqual(Buffer.from([0, 1, 2, 255]));
    const seqs = got.map((m) => m.sequenceNumber!.toNumber());
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });

  it("sends a ServiceBusMessageBatch; each message keeps its own properties", async () => {
    const sender = client.createSender("batch");
    const batch = await sender.createMessageBatch();
    for (let i = 0; i < 5; i++) {
      expect(
        batch.tryAddMessage({
          body: { i },
          messageId: `b-${i}`,
          sessionId: undefined,
          subject: `s${i}`,
        }),
      ).toBe(true);
    }
    await sender.sendMessages(batch);
    const got = await drain("batch", 5);
    expect(got.map((m): unknown[] => [m.body, m.messageId, m.subject])).toEqual(
      [0, 1, 2, 3, 4].map((i) => [{ i }, `b-${i}`, `s${i}`]),
    );
  });

  it("delivers scheduled messages at their time, and cancelled ones never", async () => {
    const sender = client.createSender("scheduled");
    const at = new Date(Date.now() + 1500);
    const [keep] = await sender.scheduleMessages({ body: "keep" }, at);
    const [cancel] = await sender.scheduleMessages({ body: "cancel" }, at);
    await sender.cancelScheduledMessages(cancel!);
    const receiver = client.createReceiver("scheduled", { receiveMode: "receiveAndDelete" });
    const [peeked] = await receiver.peekMessages(5);
    expect(peeked?.state).toBe("scheduled");
    expect(peeked?.sequenceNumber?.toNumber()).toBe(keep!.toNumber());
    const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 10000 });
    expect(m?.body).toBe("keep");
    expect(Date.now()).toBeGreaterThanOrEqual(at.getTime() - 50);
    expect(m?.scheduledEnqueueTimeUtc?.getTime()).toBe(at.getTime());
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 1500 })).toHaveLength(0);
    await receiver.close();
  });

  it("schedules on a topic: every subscription gets the message, a cancelled one reaches none", async () => {
    const sender = client.createSender("scheduled-topic");
    const at = new Date(Date.now() + 1000);
    await sender.scheduleMessages({ body: "keep" }, at);
    const [cancel] = await sender.scheduleMessages({ body: "cancel" }, at);
    await sender.cancelScheduledMessages(cancel!);
    for (const sub of ["one", "two"]) {
      const receiver = client.createReceiver("scheduled-topic", sub, {
        receiveMode: "receiveAndDelete",
      });
      const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 10000 });
      expect(m?.body).toBe("keep");
      expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 1000 })).toHaveLength(0);
      await receiver.close();
    }
  });

  it("expired messages are dead-lettered when the entity says so", async () => {
    await client.createSender("ttl").sendMessages({ body: "stale", timeToLive: 300 });
    const dlq = client.createReceiver("ttl", { subQueueType: "deadLetter" });
    const [dead] = await dlq.receiveMessages(1, { maxWaitTimeInMs: 10000 });
    expect(dead?.body).toBe("stale");
    expect(dead?.deadLetterReason).toBe("TTLExpiredException");
    await dlq.completeMessage(dead!);
    await dlq.close();
  });

  it("expired messages are dropped when the entity does not dead-letter them", async () => {
    await client.createSender("ttl-drop").sendMessages({ body: "gone" });
    const receiver = client.createReceiver("ttl-drop");
    const dlq = client.createReceiver("ttl-drop", { subQueueType: "deadLetter" });
    const fromStart = { fromSequenceNumber: Long.fromNumber(1) };
    expect(await receiver.peekMessages(1, fromStart)).toHaveLength(1);
    await waitFor(async () => (await receiver.peekMessages(1, fromStart)).length === 0, "expiry");
    expect(await dlq.peekMessages(1)).toHaveLength(0);
    await receiver.close();
    await dlq.close();
  });

  it("drops a second message with the same messageId inside the duplicate window", async () => {
    const sender = client.createSender("dedupe");
    await sender.sendMessages({ body: 1, messageId: "evt-1" });
    await sender.sendMessages({ body: 2, messageId: "evt-1" });
    await sender.sendMessages({ body: 3, messageId: "evt-2" });
    const got = await drain("dedupe", 2);
    expect(got.map((m): unknown => m.body)).toEqual([1, 3]);
    // The benchmarks' message counts see what the broker kept, not what was sent twice.
    expect(emulator.acceptedMessages().dedupe).toBe(2);
  });

  it("peekMessages is non-destructive and pages by sequence number", async () => {
    await client.createSender("peek").sendMessages([1, 2, 3, 4, 5].map((body) => ({ body })));
    const receiver = client.createReceiver("peek");
    const page1 = await receiver.peekMessages(2);
    const page2 = await receiver.peekMessages(2);
    const page3 = await receiver.peekMessages(2);
    expect([...page1, ...page2, ...page3].map((m): unknown => m.body)).toEqual([1, 2, 3, 4, 5]);
    expect(await receiver.peekMessages(2)).toHaveLength(0);
    const from3 = await receiver.peekMessages(10, {
      fromSequenceNumber: page2[0]!.sequenceNumber!,
    });
    expect(from3.map((m): unknown => m.body)).toEqual([3, 4, 5]);
    const all = await receiver.receiveMessages(5, { maxWaitTimeInMs: 3000 });
    expect(all).toHaveLength(5);
    await receiver.close();
  });
});
