import { ServiceBusClient, isServiceBusError } from "@azure/service-bus";
import { startServiceBusEmulator, type ServiceBusEmulator } from "./index";
import { testTopology, waitFor } from "./testing/topology";

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

function codeOf(e: unknown): string | undefined {
  return isServiceBusError(e) ? e.code : undefined;
}

describe("bad input answered as the service answers it", () => {
  let emulator: ServiceBusEmulator;
  let client: ServiceBusClient;

  beforeAll(async () => {
    emulator = await startServiceBusEmulator({
      port: 0,
      config: testTopology({ queues: { known: {}, locks: { LockDuration: "PT1S" } } }),
    });
    client = new ServiceBusClient(emulator.connectionString, { retryOptions: { maxRetries: 0 } });
  });

  afterAll(async () => {
    await client.close();
    await emulator.close();
  });

  it("sending to an unknown entity raises MessagingEntityNotFound", async () => {
    const sender = client.createSender("no-such-queue");
    const e = await errorOf(sender.sendMessages({ body: 1 }));
    expect(codeOf(e)).toBe("MessagingEntityNotFound");
    await sender.close();
  });

  it("receiving from an unknown entity raises MessagingEntityNotFound", async () => {
    const receiver = client.createReceiver("no-such-queue");
    const e = await errorOf(receiver.receiveMessages(1, { maxWaitTimeInMs: 1000 }));
    expect(codeOf(e)).toBe("MessagingEntityNotFound");
    await receiver.close();
  });

  it("a message over 256 KB raises MessageSizeExceeded", async () => {
    const sender = client.createSender("known");
    const e = await errorOf(sender.sendMessages({ body: Buffer.alloc(300 * 1024) }));
    expect(codeOf(e)).toBe("MessageSizeExceeded");
    // The link stays usable for messages within the limit.
    await sender.sendMessages({ body: Buffer.alloc(200 * 1024) });
    const receiver = client.createReceiver("known", { receiveMode: "receiveAndDelete" });
    const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 3000 });
    expect((m?.body as Buffer).length).toBe(200 * 1024);
    await receiver.close();
    await sender.close();
  });

  it("settling after the lock expired raises MessageLockLost", async () => {
    await client.createSender("locks").sendMessages({ body: "slow" });
    const receiver = client.createReceiver("locks", { maxAutoLockRenewalDurationInMs: 0 });
    const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 3000 });
    const lockedUntil = m!.lockedUntilUtc!.getTime();
    await waitFor(() => Date.now() > lockedUntil + 100, "lock expiry");
    const e = await errorOf(receiver.completeMessage(m!));
    expect(codeOf(e)).toBe("MessageLockLost");
    const renew = await errorOf(receiver.renewMessageLock(m!));
    expect(codeOf(renew)).toBe("MessageLockLost");
    // The message is back with its delivery count raised.
    const [again] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 3000 });
    expect(again?.deliveryCount).toBe(1);
    await receiver.completeMessage(again!);
    await receiver.close();
  });
});
