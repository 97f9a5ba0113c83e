import { ServiceBusClient, type ServiceBusReceivedMessage } from "@azure/service-bus";
import { startServiceBusEmulator, type ServiceBusEmulator } from "./index";
import { testTopology, waitFor } from "./testing/topology";

describe("receiving through @azure/service-bus", () => {
  let emulator: ServiceBusEmulator;
  let client: ServiceBusClient;

  beforeAll(async () => {
    emulator = await startServiceBusEmulator({
      port: 0,
      config: testTopology({
        queues: {
          delete: {},
          wait: { LockDuration: "PT30S" },
          subscribe: { LockDuration: "PT30S" },
          compete: { LockDuration: "PT30S" },
        },
      }),
    });
    client = new ServiceBusClient(emulator.connectionString);
  });

  afterAll(async () => {
    await client.close();
    await emulator.close();
  });

  it("receiveAndDelete removes messages as they are delivered", async () => {
    await client.createSender("delete").sendMessages([{ body: 1 }, { body: 2 }]);
    const receiver = client.createReceiver("delete", { receiveMode: "receiveAndDelete" });
    const got: ServiceBusReceivedMessage[] = [];
    while (got.length < 2)
      got.push(...(await receiver.receiveMessages(2, { maxWaitTimeInMs: 3000 })));
    expect(got.map((m): unknown => m.body)).toEqual([1, 2]);
    expect(await receiver.peekMessages(10)).toHaveLength(0);
    await receiver.close();
  });

  it("receiveMessages returns what arrived within max wait, and nothing from an empty queue", async () => {
    const receiver = client.createReceiver("wait");
    expect(await receiver.receiveMessages(5, { maxWaitTimeInMs: 200 })).toEqual([]);
    const pending = receiver.receiveMessages(5, { maxWaitTimeInMs: 5000 });
    await client.createSender("wait").sendMessages({ body: "late" });
    const got = await pending;
    expect(got.map((m): unknown => m.body)).toEqual(["late"]);
    await receiver.completeMessage(got[0]!);
    // The drained link still works for the next call.
    await client.createSender("wait").sendMessages({ body: "next" });
    const [next] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    expect(next?.body).toBe("next");
    await receiver.completeMessage(next!);
    await receiver.close();
  });

  it("subscribe with maxConcurrentCalls runs handlers concurrently and completes each message", async () => {
    const count = 20;
    await client
      .createSender("subscribe")
      .sendMessages(Array.from({ length: count }, (_, i) => ({ body: i })));
    const receiver = client.createReceiver("subscribe");
    const seen = new Set<number>();
    let running = 0;
    let maxRunning = 0;
    const releases: (() => void)[] = [];
    const sub = receiver.subscribe(
      {
        processMessage: async (m) => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          // Hold each handler until four run at once, so concurrency is observed, not timed.
          await new Promise<void>((resolve) => {
            releases.push(resolve);
            if (releases.length >= 4 || seen.size + releases.length >= count) {
              releases.splice(0).forEach((r) => r());
            }
          });
          seen.add(m.body as number);
          running--;
        },
        processError: () => Promise.resolve(),
      },
      { maxConcurrentCalls: 4 },
    );
    await waitFor(() => seen.size === count, "all messages handled");
    await sub.close();
    expect(maxRunning).toBe(4);
    await waitFor(
      async () => (await receiver.peekMessages(count)).length === 0 || undefined,
      "completions",
    );
    await receiver.close();
  });

  it("competing receivers never hold the same locked message", async () => {
    const count = 40;
    await client
      .createSender("compete")
      .sendMessages(Array.from({ length: count }, (_, i) => ({ body: i })));
    const receivers = [
      client.createReceiver("compete"),
      client.createReceiver("compete"),
      client.createReceiver("compete"),
    ];
    const held = new Map<number, number>();
    const duplicates: number[] = [];
    await Promise.all(
      receivers.map(async (r, index) => {
        for (;;) {
          const got = await r.receiveMessages(5, { maxWaitTimeInMs: 1000 });
          if (got.length === 0) return;
          for (const m of got) {
            const body = m.body as number;
            if (held.has(body)) duplicates.push(body);
            held.set(body, index);
          }
        }
      }),
    );
    expect(duplicates).toEqual([]);
    expect(held.size).toBe(count);
    await Promise.all(receivers.map((r) => r.close()));
  });
});
