import { ServiceBusClient, type ServiceBusReceivedMessage } from "@azure/service-bus";
import { startStandIns, type RunningStandIns } from "../testing/startStandIns";
import type { FaultSnapshot } from "./faultInjector";

const QUEUE = "inventory";
let standIns: RunningStandIns;
const clients: ServiceBusClient[] = [];

function client(retries: { maxRetries: number; retryDelayInMs?: number }): ServiceBusClient {
  const c = new ServiceBusClient(standIns.settings.ServiceBusConnection as string, {
    retryOptions: { retryDelayInMs: 100, ...retries },
  });
  clients.push(c);
  return c;
}

async function control(path: string, body?: unknown): Promise<FaultSnapshot> {
  const response = await fetch(`${standIns.faults?.url}${path}`, {
    method: body === undefined ? "DELETE" : "POST",
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as FaultSnapshot;
}

async function until<T>(probe: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  standIns = await startStandIns({ azurite: false, cosmos: false, faults: true });
});

afterEach(() => control("/faults"));

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await standIns.stop();
});

describe("Service Bus faults", () => {
  it("drops every connection; the SDK reconnects and sends and receives on new connections", async () => {
    const sb = client({ maxRetries: 20 });
    const received: string[] = [];
    const receiver = sb.createReceiver(QUEUE, { receiveMode: "receiveAndDelete" });
    receiver.subscribe({
      processMessage: (m: ServiceBusReceivedMessage) => {
        received.push(String(m.body));
        return Promise.resolve();
      },
      processError: () => Promise.resolve(),
    });
    const sender = sb.createSender(QUEUE);
    await sender.sendMessages({ body: "before the drop" });
    await until(() => (received.includes("before the drop") ? true : undefined), "first message");
    const before = standIns.faults!.injector.serviceBus.counts();

    const snapshot = await control("/faults/servicebus/drop-connections", {});
    expect(snapshot.counts.servicebus.connectionsDropped).toBeGreaterThan(
      before.connectionsDropped,
    );
    expect(snapshot.events.at(-1)).toMatchObject({
      target: "servicebus",
      fault: "drop-connections",
      phase: "once",
    });

    await sender.sendMessages({ body: "after the drop" });
    await until(() => (received.includes("after the drop") ? true : undefined), "second message");
    const after = standIns.faults!.injector.serviceBus.counts();
    expect(after.connectionsOpened).toBeGreaterThan(before.connectionsOpened);
    await receiver.close();
  });

  it("refuses sends with com.microsoft:server-busy, which the SDK reports as ServiceBusy", async () => {
    await control("/faults/servicebus/busy", { forMs: 60_000 });
    const sender = client({ maxRetries: 0 }).createSender(QUEUE);
    await expect(sender.sendMessages({ body: "refused" })).rejects.toMatchObject({
      code: "ServiceBusy",
      retryable: true,
    });
  });

  it("lets the SDK's retries carry a send through once the busy period ends", async () => {
    const counts = () => standIns.faults!.injector.serviceBus.counts().sendsRefusedBusy;
    const before = counts();
    await control("/faults/servicebus/busy", {});
    const sender = client({ maxRetries: 50, retryDelayInMs: 100 }).createSender(QUEUE);
    const sent = sender.sendMessages({ body: "retried" });
    await until(() => (counts() > before ? true : undefined), "a refused send");
    const snapshot = await control("/faults");
    await sent;
    const busy = snapshot.events.filter((e) => e.fault === "busy").map((e) => e.phase);
    expect(busy.slice(-2)).toEqual(["start", "end"]);
  });
});
