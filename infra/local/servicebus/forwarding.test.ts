import { ServiceBusClient, isServiceBusError } from "@azure/service-bus";
import { startServiceBusEmulator, type ServiceBusEmulator } from "./index";
import { testTopology, waitFor } from "./testing/topology";

describe("auto-forwarding and session lock expiry", () => {
  let emulator: ServiceBusEmulator;
  let client: ServiceBusClient;

  beforeAll(async () => {
    emulator = await startServiceBusEmulator({
      port: 0,
      config: testTopology({
        queues: {
          inbox: { ForwardTo: "outbox" },
          outbox: {},
          "short-sessions": { RequiresSession: true, LockDuration: "PT3S" },
        },
        topics: { fan: { subscriptions: { copy: { properties: { ForwardTo: "outbox" } } } } },
      }),
    });
    client = new ServiceBusClient(emulator.connectionString);
  });

  afterAll(async () => {
    await client.close();
    await emulator.close();
  });

  it("ForwardTo moves messages from a queue and from a subscription to the target", async () => {
    await client.createSender("inbox").sendMessages({ body: "from-queue" });
    await client.createSender("fan").sendMessages({ body: "from-topic" });
    const receiver = client.createReceiver("outbox", { receiveMode: "receiveAndDelete" });
    const got: unknown[] = [];
    await waitFor(async () => {
      for (const m of await receiver.receiveMessages(2, { maxWaitTimeInMs: 500 })) got.push(m.body);
      return got.length === 2;
    }, "forwarded messages");
    expect(got.sort()).toEqual(["from-queue", "from-topic"]);
    expect(await client.createReceiver("inbox").peekMessages(1)).toHaveLength(0);
    await receiver.close();
  });

  it("an expired session lock loses the session; its messages return with deliveryCount + 1", async () => {
    await client.createSender("short-sessions").sendMessages({ body: "s", sessionId: "k" });
    const first = await client.acceptSession("short-sessions", "k", {
      maxAutoLockRenewalDurationInMs: 0,
    });
    const [m] = await first.receiveMessages(1, { maxWaitTimeInMs: 3000 });
    expect(m?.deliveryCount).toBe(0);
    const lockedUntil = first.sessionLockedUntilUtc.getTime();
    await waitFor(() => Date.now() > lockedUntil + 200, "session lock expiry");
    const e = await first.completeMessage(m!).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isServiceBusError(e) && e.code).toBe("SessionLockLost");
    await first.close();
    const second = await client.acceptSession("short-sessions", "k");
    const [again] = await second.receiveMessages(1, { maxWaitTimeInMs: 3000 });
    expect(again?.body).toBe("s");
    expect(again?.deliveryCount).toBe(1);
    await second.completeMessage(again!);
    await second.close();
  });
});
