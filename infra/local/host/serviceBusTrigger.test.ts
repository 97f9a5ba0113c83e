import { ServiceBusClient, type ServiceBusReceivedMessage } from "@azure/service-bus";
import { startHostProcess, type HostProcess } from "../testing/startHostProcess";
import { startStandIns, type RunningStandIns } from "../testing/startStandIns";
import type { FixtureState } from "./testing/fixture-app/state";
import { FIXTURE_APP_DIR, FIXTURE_APP_ENTRY, readJson } from "./testing/fixtureApp";
import { FIXTURE_MAX_DELIVERY_COUNT, FIXTURE_TOPOLOGY } from "./testing/fixtureTopology";

interface SeenMessage {
  functionName: string;
  body: unknown;
  triggerMetadata: Record<string, unknown>;
}

describe("Service Bus trigger and output through the local host", () => {
  let standIns: RunningStandIns;
  let host: HostProcess;
  let client: ServiceBusClient;

  beforeAll(async () => {
    standIns = await startStandIns({
      azurite: false,
      cosmos: false,
      serviceBusConfig: FIXTURE_TOPOLOGY,
    });
    const connection = standIns.settings.ServiceBusConnection!;
    client = new ServiceBusClient(connection);
    host = await startHostProcess({
      entry: FIXTURE_APP_ENTRY,
      cwd: FIXTURE_APP_DIR,
      env: { FIXTURE_SERVICEBUS: "true", FixtureServiceBus: connection },
    });
  });

  afterAll(async () => {
    await host?.stop();
    await client?.close();
    await standIns?.stop();
  });

  async function seen(predicate: (m: SeenMessage) => boolean, count = 1): Promise<SeenMessage[]> {
    for (;;) {
      const state = await readJson<FixtureState>(fetch(`${host.baseUrl}/api/state`));
      const found = (state.messages as SeenMessage[]).filter(predicate);
      if (found.length >= count) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function receiveFrom(
    queue: string,
    count: number,
    subQueue?: "deadLetter",
  ): Promise<ServiceBusReceivedMessage[]> {
    const receiver = client.createReceiver(queue, subQueue ? { subQueueType: subQueue } : {});
    const received: ServiceBusReceivedMessage[] = [];
    try {
      while (received.length < count) {
        const batch = await receiver.receiveMessages(count - received.length, {
          maxWaitTimeInMs: 1000,
        });
        for (const message of batch) {
          received.push(message);
          await receiver.completeMessage(message);
        }
      }
    } finally {
      await receiver.close();
    }
    return received;
  }

  it("hands over a JSON body parsed, with the extension's trigger metadata, and completes it", async () => {
    await client.createSender("fixture-work").sendMessages({
      messageId: "json-1",
      body: { hello: "world" },
      correlationId: "corr-1",
      subject: "Greeting",
      contentType: "application/json",
      applicationProperties: { type: "Greeting" },
    });
    const [message] = await seen((m) => m.triggerMetadata.messageId === "json-1");
    expect(message!.body).toEqual({ hello: "world" });
    expect(message!.triggerMetadata).toMatchObject({
      messageId: "json-1",
      deliveryCount: 1,
      correlationId: "corr-1",
      subject: "Greeting",
      label: "Greeting",
      contentType: "application/json",
      applicationProperties: { type: "Greeting" },
    });
    expect(typeof message!.triggerMetadata.sequenceNumber).toBe("number");
    expect(Number.isNaN(Date.parse(String(message!.triggerMetadata.enqueuedTimeUtc)))).toBe(false);
    expect(typeof message!.triggerMetadata.lockToken).toBe("string");
    await host.waitForLog(/Executed 'Functions\.work' \(Succeeded/);
    // Completed: nothing is left on the queue (peek sees locked and unlocked messages alike).
    const receiver = client.createReceiver("fixture-work");
    try {
      for (;;) {
        const left = (await receiver.peekMessages(10)).filter((m) => m.messageId === "json-1");
        if (left.length === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await receiver.close();
    }
  });

  it("hands over a text body that is not JSON as a string", async () => {
    await client
      .createSender("fixture-work")
      .sendMessages({ messageId: "text-1", body: Buffer.from("plain words") });
    const [message] = await seen((m) => m.triggerMetadata.messageId === "text-1");
    expect(message!.body).toBe("plain words");
  });

  it("abandons on failure until MaxDeliveryCount moves the message to the dead-letter queue", async () => {
    await client
      .createSender("fixture-work")
      .sendMessages({ messageId: "poison-1", body: { fail: true } });
    const [dead] = await receiveFrom("fixture-work", 1, "deadLetter");
    expect(dead!.messageId).toBe("poison-1");
    expect(dead!.deadLetterReason).toBe("MaxDeliveryCountExceeded");
    const deliveries = await seen(
      (m) => m.triggerMetadata.messageId === "poison-1",
      FIXTURE_MAX_DELIVERY_COUNT,
    );
    expect(deliveries.map((d) => d.triggerMetadata.deliveryCount)).toEqual([1, 2, 3]);
  });

  it("renews the lock while a handler outlives the lock duration, then completes once", async () => {
    await client
      .createSender("fixture-work")
      .sendMessages({ messageId: "long-1", body: { holdMs: 3500 } });
    await host.waitForLog((l) => l.includes("work done long-1"), 20_000);
    const deliveries = await seen((m) => m.triggerMetadata.messageId === "long-1");
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.triggerMetadata.deliveryCount).toBe(1);
    const receiver = client.createReceiver("fixture-work");
    try {
      for (;;) {
        const left = (await receiver.peekMessages(50)).filter((m) => m.messageId === "long-1");
        if (left.length === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await receiver.close();
    }
    expect(host.lines.some((l) => l.includes("Could not complete"))).toBe(false);
    const again = await readJson<FixtureState>(fetch(`${host.baseUrl}/api/state`));
    expect(
      (again.messages as SeenMessage[]).filter((m) => m.triggerMetadata.messageId === "long-1"),
    ).toHaveLength(1);
  });

  it("runs at most maxConcurrentCalls (host.json: 2) handlers at once", async () => {
    const messages = Array.from({ length: 6 }, (_, i) => ({
      messageId: `hold-${i}`,
      body: { holdMs: 400 },
    }));
    await client.createSender("fixture-work").sendMessages(messages);
    await seen((m) => String(m.triggerMetadata.messageId).startsWith("hold-"), 6);
    const state = await readJson<FixtureState>(fetch(`${host.baseUrl}/api/state`));
    expect(state.maxRunning).toBeLessThanOrEqual(2);
    expect(state.maxRunning).toBeGreaterThanOrEqual(2);
  });

  it("receives a session-enabled queue session by session, in order within each session", async () => {
    const messages = ["s1", "s2"].flatMap((sessionId) =>
      [1, 2, 3].map((n) => ({ sessionId, messageId: `${sessionId}-${n}`, body: { sessionId, n } })),
    );
    await client.createSender("fixture-sessions").sendMessages(messages);
    const received = await seen((m) => m.functionName === "sessionWork", 6);
    for (const sessionId of ["s1", "s2"]) {
      const ofSession = received.filter((m) => m.triggerMetadata.sessionId === sessionId);
      expect(ofSession.map((m) => (m.body as { n: number }).n)).toEqual([1, 2, 3]);
    }
  });

  it("hands a batch (cardinality many) over as an array with per-message metadata arrays", async () => {
    const ids = ["b-1", "b-2", "b-3"];
    await client
      .createSender("fixture-batch")
      .sendMessages(ids.map((id, n) => ({ messageId: id, body: { n } })));
    let batches: SeenMessage[];
    for (;;) {
      batches = await seen((m) => m.functionName === "batchWork");
      const count = batches.reduce((sum, b) => sum + (b.body as unknown[]).length, 0);
      if (count >= ids.length) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(batches.flatMap((b) => b.body as unknown[])).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
    expect(batches.flatMap((b) => b.triggerMetadata.messageIdArray as string[])).toEqual(ids);
    expect(batches.flatMap((b) => b.triggerMetadata.deliveryCountArray as number[])).toEqual([
      1, 1, 1,
    ]);
  });

  it("triggers on a topic subscription and sends the return value through the output binding", async () => {
    await client
      .createSender("fixture-events")
      .sendMessages({ messageId: "event-1", body: { kind: "event" } });
    const [event] = await seen(
      (m) => m.functionName === "events" && m.triggerMetadata.messageId === "event-1",
    );
    expect(event!.body).toEqual({ kind: "event" });
    const [out] = await receiveFrom("fixture-out", 1);
    expect(out!.body).toEqual({ forwarded: { kind: "event" } });
    expect(out!.contentType).toBe("application/json");
  });

  it("sends each element of an extraOutputs array as one message from an HTTP function", async () => {
    const res = await fetch(`${host.baseUrl}/api/send`, {
      method: "POST",
      body: JSON.stringify([{ n: 1 }, { n: 2 }]),
    });
    expect(res.status).toBe(202);
    const received = await receiveFrom("fixture-out", 2);
    expect(received.map((m): unknown => m.body)).toEqual(
      expect.arrayContaining([{ n: 1 }, { n: 2 }]),
    );
  });
});
