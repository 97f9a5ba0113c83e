import { ServiceBusClient, type ServiceBusReceivedMessage } from "@azure/service-bus";
import { startServiceBusEmulator, type ServiceBusEmulator } from "./index";
import { testTopology, waitFor } from "./testing/topology";

describe("settlement through @azure/service-bus", () => {
  let emulator: ServiceBusEmulator;
  let client: ServiceBusClient;

  beforeAll(async () => {
    emulator = await startServiceBusEmulator({
      port: 0,
      config: testTopology({
        queues: {
          complete: {},
          abandon: {},
          deadletter: {},
          defer: {},
          renew: { LockDuration: "PT5S" },
          expiry: { LockDuration: "PT1S", MaxDeliveryCount: 2 },
          poison: { MaxDeliveryCount: 2 },
        },
      }),
    });
    client = new ServiceBusClient(emulator.connectionString);
  });

  afterAll(async () => {
    await client.close();
    await emulator.close();
  });

  async function receiveOne(
    queue: string,
    subQueueType?: "deadLetter",
  ): Promise<ServiceBusReceivedMessage> {
    const receiver = client.createReceiver(queue, subQueueType ? { subQueueType } : {});
    try {
      const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
      if (!m) throw new Error(`no message on ${queue}`);
      return m;
    } finally {
      await receiver.close();
    }
  }

  it("complete removes the message", async () => {
    await client.createSender("complete").sendMessages({ body: "done" });
    const receiver = client.createReceiver("complete");
    const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    expect(m?.body).toBe("done");
    expect(m?.lockToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(m?.lockedUntilUtc).toBeInstanceOf(Date);
    await receiver.completeMessage(m!);
    expect(await receiver.peekMessages(10)).toHaveLength(0);
    await receiver.close();
  });

  it("abandon with property changes redelivers with deliveryCount + 1", async () => {
    await client
      .createSender("abandon")
      .sendMessages({ body: "again", applicationProperties: { a: 1 } });
    const receiver = client.createReceiver("abandon");
    const [first] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    expect(first?.deliveryCount).toBe(0);
    await receiver.abandonMessage(first!, { reason: "retry", a: 2 });
    const [second] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    expect(second?.body).toBe("again");
    expect(second?.deliveryCount).toBe(1);
    expect(second?.applicationProperties).toEqual({ a: 2, reason: "retry" });
    expect(second?.sequenceNumber?.toNumber()).toBe(first?.sequenceNumber?.toNumber());
    await receiver.completeMessage(second!);
    await receiver.close();
  });

  it("dead-letter keeps reason and description; the DLQ is readable with subQueueType", async () => {
    await client
      .createSender("deadletter")
      .sendMessages({ body: { bad: true }, messageId: "dl-1" });
    const receiver = client.createReceiver("deadletter");
    const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    await receiver.deadLetterMessage(m!, {
      deadLetterReason: "Invalid",
      deadLetterErrorDescription: "schema failed",
    });
    await receiver.close();
    const dead = await receiveOne("deadletter", "deadLetter");
    expect(dead.body).toEqual({ bad: true });
    expect(dead.messageId).toBe("dl-1");
    expect(dead.deadLetterReason).toBe("Invalid");
    expect(dead.deadLetterErrorDescription).toBe("schema failed");
  });

  it("dead-letter without a reason leaves reason and description unset", async () => {
    await client.createSender("deadletter").sendMessages({ body: "plain", messageId: "dl-2" });
    const receiver = client.createReceiver("deadletter");
    const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    await receiver.deadLetterMessage(m!);
    await receiver.close();
    const dead = await receiveOne("deadletter", "deadLetter");
    expect(dead.messageId).toBe("dl-2");
    expect(dead.deadLetterReason).toBeUndefined();
    expect(dead.deadLetterErrorDescription).toBeUndefined();
  });

  it("defer, then receive the deferred message by sequence number and complete it", async () => {
    await client.createSender("defer").sendMessages({ body: "later" });
    const receiver = client.createReceiver("defer");
    const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    await receiver.deferMessage(m!, { deferredBy: "test" });
    // A deferred message is not handed out by plain receives.
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 })).toHaveLength(0);
    const [peeked] = await receiver.peekMessages(1);
    expect(peeked?.state).toBe("deferred");
    const [deferred] = await receiver.receiveDeferredMessages(m!.sequenceNumber!);
    expect(deferred?.body).toBe("later");
    expect(deferred?.applicationProperties).toEqual({ deferredBy: "test" });
    await receiver.completeMessage(deferred!);
    expect(await receiver.peekMessages(10)).toHaveLength(0);
    await receiver.close();
  });

  it("renew lock moves lockedUntil forward", async () => {
    await client.createSender("renew").sendMessages({ body: 1 });
    const receiver = client.createReceiver("renew", { maxAutoLockRenewalDurationInMs: 0 });
    const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    const before = m!.lockedUntilUtc!.getTime();
    await waitFor(() => Date.now() > before - 4000, "a second of the lock to pass");
    const after = await receiver.renewMessageLock(m!);
    expect(after.getTime()).toBeGreaterThan(before);
    await receiver.completeMessage(m!);
    await receiver.close();
  });

  it("lock expiry redelivers with deliveryCount + 1, then MaxDeliveryCount dead-letters", async () => {
    await client.createSender("expiry").sendMessages({ body: "slow" });
    const receiver = client.createReceiver("expiry", { maxAutoLockRenewalDurationInMs: 0 });
    const [first] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    expect(first?.deliveryCount).toBe(0);
    const [second] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 10000 });
    expect(second?.deliveryCount).toBe(1);
    expect(second?.sequenceNumber?.toNumber()).toBe(first?.sequenceNumber?.toNumber());
    // Second lock expiry reaches MaxDeliveryCount (2): the message moves to the DLQ.
    const dead = await receiveOne("expiry", "deadLetter");
    expect(dead.body).toBe("slow");
    expect(dead.deadLetterReason).toBe("MaxDeliveryCountExceeded");
    await receiver.close();
  });

  it("abandoning MaxDeliveryCount times dead-letters with MaxDeliveryCountExceeded", async () => {
    await client.createSender("poison").sendMessages({ body: "poison" });
    const receiver = client.createReceiver("poison");
    for (let i = 0; i < 2; i++) {
      const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
      expect(m?.deliveryCount).toBe(i);
      await receiver.abandonMessage(m!);
    }
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 })).toHaveLength(0);
    await receiver.close();
    const dead = await receiveOne("poison", "deadLetter");
    expect(dead.deadLetterReason).toBe("MaxDeliveryCountExceeded");
    expect(dead.deliveryCount).toBe(2);
  });
});
