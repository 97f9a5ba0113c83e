import type { ServiceBusReceivedMessage, ServiceBusReceiver } from "@azure/service-bus";
import { startTestEmulator, type TestEmulator } from "./testing/testEmulator";
import { waitFor } from "./testing/topology";

// The service's delivery count (the AMQP header delivery-count, which @azure/service-bus reads
// into deliveryCount) is the number of earlier deliveries: 0 on the first receive, one more
// after each abandon or lost lock, and receiving a deferred message by sequence number is a
// delivery like any other (receive 0, defer, receiveDeferredMessages 1, abandon, 2).

describe("delivery count through @azure/service-bus", () => {
  let sb: TestEmulator;

  beforeAll(async () => {
    sb = await startTestEmulator({
      queues: {
        abandoned: { MaxDeliveryCount: 5 },
        expiring: { LockDuration: "PT1S", MaxDeliveryCount: 5 },
        deferred: { MaxDeliveryCount: 5 },
        "deferred-dead": { MaxDeliveryCount: 5 },
        "deferred-expiring": { LockDuration: "PT1S", MaxDeliveryCount: 5 },
        sessions: { RequiresSession: true, LockDuration: "PT5S", MaxDeliveryCount: 5 },
        "session-deferred": { RequiresSession: true, LockDuration: "PT10S", MaxDeliveryCount: 5 },
      },
      topics: {
        events: { subscriptions: { all: { properties: { MaxDeliveryCount: 5 } } } },
      },
    });
  });

  afterAll(() => sb.close());

  async function receiveOne(
    receiver: ServiceBusReceiver,
    maxWaitTimeInMs = 5000,
  ): Promise<ServiceBusReceivedMessage> {
    const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs });
    if (!m) throw new Error(`no message on ${receiver.entityPath}`);
    return m;
  }

  async function deferredOne(
    receiver: ServiceBusReceiver,
    seq: ServiceBusReceivedMessage["sequenceNumber"],
  ): Promise<ServiceBusReceivedMessage> {
    const [m] = await receiver.receiveDeferredMessages(seq!);
    if (!m) throw new Error(`deferred message ${String(seq)} not found`);
    return m;
  }

  /** Receive, defer, receive by sequence number, abandon, again: the three counts seen. */
  async function deferAndRedeliver(receiver: ServiceBusReceiver): Promise<number[]> {
    const m = await receiveOne(receiver);
    await receiver.deferMessage(m);
    const deferred = await deferredOne(receiver, m.sequenceNumber);
    await receiver.abandonMessage(deferred);
    const again = await deferredOne(receiver, m.sequenceNumber);
    await receiver.completeMessage(again);
    return [m.deliveryCount!, deferred.deliveryCount!, again.deliveryCount!];
  }

  it("receive gives 0, and each abandon adds one", async () => {
    await sb.client.createSender("abandoned").sendMessages({ body: "a" });
    const receiver = sb.client.createReceiver("abandoned");
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const m = await receiveOne(receiver);
      counts.push(m.deliveryCount!);
      if (i < 2) await receiver.abandonMessage(m);
      else await receiver.completeMessage(m);
    }
    expect(counts).toEqual([0, 1, 2]);
    await receiver.close();
  });

  it("a lost lock counts as a delivery", async () => {
    await sb.client.createSender("expiring").sendMessages({ body: "slow" });
    const receiver = sb.client.createReceiver("expiring", { maxAutoLockRenewalDurationInMs: 0 });
    const first = await receiveOne(receiver);
    // Not settled: the 1 s lock runs out and the message comes back.
    const second = await receiveOne(receiver, 10000);
    expect([first.deliveryCount, second.deliveryCount]).toEqual([0, 1]);
    await receiver.completeMessage(second);
    await receiver.close();
  });

  it("defer, then receive by sequence number gives 1; after an abandon, 2", async () => {
    await sb.client.createSender("deferred").sendMessages({ body: "later" });
    const receiver = sb.client.createReceiver("deferred");
    const m = await receiveOne(receiver);
    expect(m.deliveryCount).toBe(0);
    await receiver.deferMessage(m);
    const [peeked] = await receiver.peekMessages(1, { fromSequenceNumber: m.sequenceNumber! });
    expect(peeked?.deliveryCount).toBe(1);
    const first = await deferredOne(receiver, m.sequenceNumber);
    expect(first.deliveryCount).toBe(1);
    await receiver.abandonMessage(first);
    // An abandoned deferred message stays deferred: it is only reachable by sequence number.
    const again = await deferredOne(receiver, m.sequenceNumber);
    expect(again.deliveryCount).toBe(2);
    await receiver.completeMessage(again);
    await receiver.close();
  });

  it("a deferred message dead-letters with the count it reached", async () => {
    await sb.client.createSender("deferred-dead").sendMessages({ body: "bad" });
    const receiver = sb.client.createReceiver("deferred-dead");
    const m = await receiveOne(receiver);
    await receiver.deferMessage(m);
    const deferred = await deferredOne(receiver, m.sequenceNumber);
    await receiver.deadLetterMessage(deferred, {
      deadLetterReason: "Bad",
      deadLetterErrorDescription: "refused",
    });
    await receiver.close();
    const dlq = sb.client.createReceiver("deferred-dead", { subQueueType: "deadLetter" });
    const dead = await receiveOne(dlq);
    expect(dead.deadLetterReason).toBe("Bad");
    expect(dead.deliveryCount).toBe(2);
    await dlq.completeMessage(dead);
    await dlq.close();
  });

  it("a deferred message whose lock runs out counts that delivery", async () => {
    await sb.client.createSender("deferred-expiring").sendMessages({ body: "slow" });
    const receiver = sb.client.createReceiver("deferred-expiring", {
      maxAutoLockRenewalDurationInMs: 0,
    });
    const m = await receiveOne(receiver);
    await receiver.deferMessage(m);
    const first = await deferredOne(receiver, m.sequenceNumber);
    expect(first.deliveryCount).toBe(1);
    // Its 1 s lock runs out unsettled; it becomes deferred again.
    const again = await waitFor(
      async () =>
        (
          await receiver
            .receiveDeferredMessages(m.sequenceNumber!)
            .catch((): ServiceBusReceivedMessage[] => [])
        )[0],
      "the deferred message's lock to run out",
    );
    expect(again.deliveryCount).toBe(2);
    await receiver.completeMessage(again);
    await receiver.close();
  });

  it("subscriptions count the same way", async () => {
    await sb.client.createSender("events").sendMessages({ body: "e" });
    const receiver = sb.client.createReceiver("events", "all");
    expect(await deferAndRedeliver(receiver)).toEqual([0, 1, 2]);
    await receiver.close();
  });

  it("sessions: abandon and a released session lock each add one", async () => {
    await sb.client.createSender("sessions").sendMessages({ body: "s", sessionId: "s1" });
    const first = await sb.client.acceptSession("sessions", "s1");
    const m1 = await receiveOne(first);
    await first.abandonMessage(m1);
    const m2 = await receiveOne(first);
    // Closed without settling: the session lock is released and the message counts a delivery.
    await first.close();
    const second = await sb.client.acceptSession("sessions", "s1");
    const m3 = await receiveOne(second);
    expect([m1.deliveryCount, m2.deliveryCount, m3.deliveryCount]).toEqual([0, 1, 2]);
    await second.completeMessage(m3);
    await second.close();
  });

  it("sessions: a deferred message received by sequence number gives 1, then 2", async () => {
    await sb.client.createSender("session-deferred").sendMessages({ body: "d", sessionId: "s2" });
    const receiver = await sb.client.acceptSession("session-deferred", "s2");
    expect(await deferAndRedeliver(receiver)).toEqual([0, 1, 2]);
    await receiver.close();
  });
});
