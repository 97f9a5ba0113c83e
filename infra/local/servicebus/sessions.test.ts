import { ServiceBusClient, isServiceBusError } from "@azure/service-bus";
import { startServiceBusEmulator, type ServiceBusEmulator } from "./index";
import { testTopology } from "./testing/topology";

describe("sessions through @azure/service-bus", () => {
  let emulator: ServiceBusEmulator;
  let client: ServiceBusClient;

  beforeAll(async () => {
    emulator = await startServiceBusEmulator({
      port: 0,
      config: testTopology({
        queues: {
          fifo: { RequiresSession: true, LockDuration: "PT10S" },
          next: { RequiresSession: true, LockDuration: "PT10S" },
          exclusive: { RequiresSession: true, LockDuration: "PT10S" },
          state: { RequiresSession: true, LockDuration: "PT10S" },
        },
      }),
    });
    client = new ServiceBusClient(emulator.connectionString);
  });

  afterAll(async () => {
    await client.close();
    await emulator.close();
  });

  it("acceptSession receives only that session's messages, in FIFO order", async () => {
    const sender = client.createSender("fifo");
    await sender.sendMessages([
      { body: "a1", sessionId: "a" },
      { body: "b1", sessionId: "b" },
      { body: "a2", sessionId: "a" },
      { body: "a3", sessionId: "a" },
    ]);
    const receiver = await client.acceptSession("fifo", "a");
    expect(receiver.sessionId).toBe("a");
    const got: unknown[] = [];
    while (got.length < 3) {
      for (const m of await receiver.receiveMessages(3, { maxWaitTimeInMs: 2000 })) {
        expect(m.sessionId).toBe("a");
        got.push(m.body);
        await receiver.completeMessage(m);
      }
    }
    expect(got).toEqual(["a1", "a2", "a3"]);
    await receiver.close();
  });

  it("acceptNextSession picks a session that has messages", async () => {
    await client.createSender("next").sendMessages({ body: "n", sessionId: "picked" });
    const receiver = await client.acceptNextSession("next");
    expect(receiver.sessionId).toBe("picked");
    const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 3000 });
    expect(m?.body).toBe("n");
    await receiver.completeMessage(m!);
    await receiver.close();
  });

  it("acceptNextSession waits for a session to get a message", async () => {
    const pending = client.acceptNextSession("next");
    await client.createSender("next").sendMessages({ body: "w", sessionId: "arrived" });
    const receiver = await pending;
    expect(receiver.sessionId).toBe("arrived");
    const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 3000 });
    expect(m?.body).toBe("w");
    await receiver.completeMessage(m!);
    await receiver.close();
  });

  it("acceptNextSession with no session to give times out with ServiceTimeout, as the service does", async () => {
    const impatient = new ServiceBusClient(emulator.connectionString, {
      retryOptions: { timeoutInMs: 1500, maxRetries: 0 },
    });
    try {
      const e = await impatient.acceptNextSession("exclusive").then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(isServiceBusError(e) && e.code).toBe("ServiceTimeout");
    } finally {
      await impatient.close();
    }
  });

  it("one receiver per session at a time; the session is free again after close", async () => {
    await client.createSender("exclusive").sendMessages({ body: "x", sessionId: "s" });
    const first = await client.acceptSession("exclusive", "s");
    const refused = await client.acceptSession("exclusive", "s").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isServiceBusError(refused) && refused.code).toBe("SessionCannotBeLocked");
    await first.close();
    const second = await client.acceptSession("exclusive", "s");
    const [m] = await second.receiveMessages(1, { maxWaitTimeInMs: 3000 });
    expect(m?.body).toBe("x");
    await second.completeMessage(m!);
    await second.close();
  });

  it("refuses a message without sessionId on a session queue", async () => {
    const e = await client
      .createSender("state")
      .sendMessages({ body: "no session" })
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect((e as Error | undefined)?.message).toMatch(/SessionId was not set/);
  });

  it("keeps session state and renews the session lock", async () => {
    await client.createSender("state").sendMessages({ body: 1, sessionId: "st" });
    const receiver = await client.acceptSession("state", "st");
    expect(await receiver.getSessionState()).toBeNull();
    await receiver.setSessionState({ step: 2 });
    const before = receiver.sessionLockedUntilUtc.getTime();
    await receiver.renewSessionLock();
    expect(receiver.sessionLockedUntilUtc.getTime()).toBeGreaterThanOrEqual(before);
    await receiver.close();
    const again = await client.acceptSession("state", "st");
    expect(await again.getSessionState()).toEqual({ step: 2 });
    await again.close();
  });
});
