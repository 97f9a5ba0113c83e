import { ServiceBusAdministrationClient, type ServiceBusClient } from "@azure/service-bus";
import { type ServiceBusReceivedMessage } from "@azure/service-bus";
import { ORDER_EVENTS_TOPIC, QUEUES, SAGA_SUBSCRIPTION } from "../../shared/config/names";
import {
  startServiceBusEmulator,
  type ServiceBusEmulator,
} from "@order-processing/local-runtime/servicebus";
import {
  listDeadLetters,
  purgeDeadLetters,
  resubmitDeadLetters,
  resubmittedCopy,
  showDeadLetters,
} from "./deadLetterQueue";
import { parseDlqArgs, runDlqCommand } from "./dlqCommand";
import { serviceBusClientFromSettings } from "./serviceBusClientFromSettings";

// The tool against the project's Service Bus emulator (the project topology), through the
// unmodified @azure/service-bus client, exactly as an operator runs it.

let emulator: ServiceBusEmulator;
let client: ServiceBusClient;

beforeAll(async () => {
  emulator = await startServiceBusEmulator({ port: 0 });
  client = serviceBusClientFromSettings(
    { ServiceBusConnection: emulator.connectionString },
    "ServiceBusConnection",
  );
});

afterAll(async () => {
  await client.close();
  await emulator.close();
});

afterEach(async () => {
  // Each test leaves the dead-letter queues it used empty.
  await purgeDeadLetters(
    client,
    { entity: QUEUES.inventory },
    { all: true },
    { maxWaitTimeInMs: 300 },
  );
  await purgeDeadLetters(
    client,
    { entity: ORDER_EVENTS_TOPIC, subscription: SAGA_SUBSCRIPTION },
    { all: true },
    { maxWaitTimeInMs: 300 },
  );
});

/** Sends messages to a queue and dead-letters them the way a handler's poison path does. */
async function deadLetterOnQueue(queue: string, ids: string[]): Promise<void> {
  const sender = client.createSender(queue);
  await sender.sendMessages(
    ids.map((id) => ({
      messageId: id,
      body: { id, type: "ReserveInventory", data: { orderId: `o-${id}` } },
      subject: "ReserveInventory",
      correlationId: `o-${id}`,
      applicationProperties: { type: "ReserveInventory" },
    })),
  );
  await sender.close();
  const receiver = client.createReceiver(queue);
  const received: ServiceBusReceivedMessage[] = [];
  while (received.length < ids.length) {
    received.push(
      ...(await receiver.receiveMessages(ids.length - received.length, { maxWaitTimeInMs: 5000 })),
    );
  }
  for (const m of received) {
    await receiver.deadLetterMessage(m, {
      deadLetterReason: "ValidationFailed",
      deadLetterErrorDescription: `bad ${String(m.messageId)}`,
    });
  }
  await receiver.close();
}

async function receiveAll(queue: string, count: number): Promise<ServiceBusReceivedMessage[]> {
  const receiver = client.createReceiver(queue, { receiveMode: "receiveAndDelete" });
  const got: ServiceBusReceivedMessage[] = [];
  while (got.length < count) {
    const batch = await receiver.receiveMessages(count - got.length, { maxWaitTimeInMs: 5000 });
    if (batch.length === 0) break;
    got.push(...batch);
  }
  await receiver.close();
  return got;
}

describe("dead-letter tool on a queue", () => {
  it("lists dead-lettered messages with their reason, without removing them", async () => {
    await deadLetterOnQueue(QUEUES.inventory, ["a1", "a2"]);
    const listed = await listDeadLetters(client, { entity: QUEUES.inventory }, { maxCount: 10 });
    expect(
      listed.map((m) => [m.messageId, m.deadLetterReason, m.deadLetterErrorDescription]),
    ).toEqual([
      ["a1", "ValidationFailed", "bad a1"],
      ["a2", "ValidationFailed", "bad a2"],
    ]);
    const again = await listDeadLetters(client, { entity: QUEUES.inventory }, { maxCount: 1 });
    expect(again.map((m) => m.messageId)).toEqual(["a1"]);
  });

  it("shows one message in full by id", async () => {
    await deadLetterOnQueue(QUEUES.inventory, ["b1", "b2"]);
    const [shown, ...rest] = await showDeadLetters(
      client,
      { entity: QUEUES.inventory },
      { messageIds: ["b2"] },
    );
    expect(rest).toEqual([]);
    expect(shown?.body).toEqual({ id: "b2", type: "ReserveInventory", data: { orderId: "o-b2" } });
    expect(shown?.applicationProperties).toMatchObject({ type: "ReserveInventory" });
    expect(shown?.subject).toBe("ReserveInventory");
  });

  it("resubmits a selected message to the queue and removes it from the DLQ", async () => {
    await deadLetterOnQueue(QUEUES.inventory, ["c1", "c2"]);
    const done = await resubmitDeadLetters(
      client,
      { entity: QUEUES.inventory },
      { messageIds: ["c1"] },
    );
    expect(done.map((m) => m.messageId)).toEqual(["c1"]);

    const [copy, ...more] = await receiveAll(QUEUES.inventory, 1);
    expect(more).toEqual([]);
    expect(copy?.body).toEqual({ id: "c1", type: "ReserveInventory", data: { orderId: "o-c1" } });
    expect(copy?.correlationId).toBe("o-c1");
    expect(copy?.subject).toBe("ReserveInventory");
    expect(String(copy?.messageId)).toMatch(/^c1:resubmit:/);
    expect(copy?.applicationProperties).not.toHaveProperty("DeadLetterReason");
    expect(copy?.deadLetterReason).toBeUndefined();
    expect(copy?.applicationProperties).toMatchObject({
      type: "ReserveInventory",
      resubmittedFromMessageId: "c1",
    });

    const left = await listDeadLetters(client, { entity: QUEUES.inventory }, { maxCount: 10 });
    expect(left.map((m) => m.messageId)).toEqual(["c2"]);
  });

  it("purges by sequence number and leaves the others", async () => {
    await deadLetterOnQueue(QUEUES.inventory, ["d1", "d2", "d3"]);
    const before = await listDeadLetters(client, { entity: QUEUES.inventory }, { maxCount: 10 });
    const second = before[1]!.sequenceNumber;
    const purged = await purgeDeadLetters(
      client,
      { entity: QUEUES.inventory },
      { sequenceNumbers: [second] },
    );
    expect(purged.map((m) => m.messageId)).toEqual(["d2"]);
    const after = await listDeadLetters(client, { entity: QUEUES.inventory }, { maxCount: 10 });
    expect(after.map((m) => m.messageId)).toEqual(["d1", "d3"]);
  });

  it("refuses resubmit and purge without a selection", async () => {
    await expect(purgeDeadLetters(client, { entity: QUEUES.inventory }, {})).rejects.toThrow(
      "--all",
    );
    expect(() => parseDlqArgs(["resubmit", "--entity", QUEUES.inventory])).toThrow("--all");
  });
});

describe("dead-letter tool on a topic subscription", () => {
  it("resubmits to the topic, so the subscription receives the message again", async () => {
    const sender = client.createSender(ORDER_EVENTS_TOPIC);
    await sender.sendMessages({
      messageId: "e1",
      body: { id: "e1", type: "OrderPlaced" },
      applicationProperties: { type: "OrderPlaced" },
    });
    await sender.close();
    const saga = client.createReceiver(ORDER_EVENTS_TOPIC, SAGA_SUBSCRIPTION);
    const [placed] = await saga.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    await saga.deadLetterMessage(placed!, {
      deadLetterReason: "MaxDeliveryCountExceeded",
      deadLetterErrorDescription: "failed 5 times",
    });

    const target = { entity: ORDER_EVENTS_TOPIC, subscription: SAGA_SUBSCRIPTION };
    const listed = await listDeadLetters(client, target, { maxCount: 10 });
    expect(listed.map((m) => [m.messageId, m.deadLetterReason])).toEqual([
      ["e1", "MaxDeliveryCountExceeded"],
    ]);

    await resubmitDeadLetters(client, target, { all: true }, { maxWaitTimeInMs: 500 });
    const [again] = await saga.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    expect(again?.body).toEqual({ id: "e1", type: "OrderPlaced" });
    await saga.completeMessage(again!);
    await saga.close();
    expect(await listDeadLetters(client, target, { maxCount: 10 })).toEqual([]);
  });
});

describe("the dlq command", () => {
  it("runs list end to end and prints one line per message", async () => {
    await deadLetterOnQueue(QUEUES.inventory, ["f1"]);
    const printed: string[] = [];
    const cmd = parseDlqArgs(["list", "--entity", QUEUES.inventory]);
    const code = await runDlqCommand(cmd!, client, (t) => printed.push(t));
    expect(code).toBe(0);
    expect(printed[0]).toMatch(
      /^seq=\d+ id=f1 subject=ReserveInventory .* reason="ValidationFailed"/,
    );
    expect(printed[1]).toBe(`1 message(s) dead-lettered on ${QUEUES.inventory}`);
  });

  it("counts one entity, or every queue and subscription, through the management API", async () => {
    await deadLetterOnQueue(QUEUES.inventory, ["g1", "g2"]);
    const admin = new ServiceBusAdministrationClient(emulator.connectionString, {
      tlsOptions: { ca: await emulator.certificatePem() },
    });
    const one: string[] = [];
    const cmd = parseDlqArgs(["counts", "--entity", QUEUES.inventory]);
    expect(await runDlqCommand(cmd!, client, (t) => one.push(t), admin)).toBe(0);
    expect(one).toEqual([`${QUEUES.inventory} active=0 deadLetter=2 scheduled=0`]);
    const all: string[] = [];
    await runDlqCommand(parseDlqArgs(["counts", "--json"])!, client, (t) => all.push(t), admin);
    const rows = JSON.parse(all.join("\n")) as { entity: string }[];
    expect(rows.map((r) => r.entity)).toEqual([
      ...Object.values(QUEUES).sort(),
      `${ORDER_EVENTS_TOPIC}/${SAGA_SUBSCRIPTION}`,
    ]);
  });

  it("exits 1 when a requested message is not there", async () => {
    const cmd = parseDlqArgs(["purge", "--entity", QUEUES.inventory, "--message-id", "nope"]);
    expect(await runDlqCommand(cmd!, client, () => undefined)).toBe(1);
  });
});

describe("parseDlqArgs", () => {
  it("reads the options", () => {
    expect(
      parseDlqArgs([
        "resubmit",
        "--entity",
        ORDER_EVENTS_TOPIC,
        "--subscription",
        SAGA_SUBSCRIPTION,
        "--connection-setting",
        "OtherConnection",
        "--sequence-number",
        "7",
        "--sequence-number",
        "9",
      ]),
    ).toEqual({
      command: "resubmit",
      target: { entity: ORDER_EVENTS_TOPIC, subscription: SAGA_SUBSCRIPTION },
      connectionSetting: "OtherConnection",
      selector: { sequenceNumbers: ["7", "9"], messageIds: [], all: false },
      maxCount: 100,
      json: false,
    });
  });

  it("rejects unknown commands, missing entity and bad numbers", () => {
    expect(() => parseDlqArgs(["peek", "--entity", "x"])).toThrow("unknown command");
    expect(() => parseDlqArgs(["list"])).toThrow("--entity is required");
    expect(() => parseDlqArgs(["list", "--entity", "x", "--max", "0"])).toThrow("--max");
    expect(() => parseDlqArgs(["purge", "--entity", "x", "--sequence-number", "1e3"])).toThrow(
      "whole number",
    );
    expect(() => parseDlqArgs(["list", "--entity", "x", "--bogus"])).toThrow();
  });

  it("returns undefined for --help", () => {
    expect(parseDlqArgs(["--help"])).toBeUndefined();
  });
});

describe("serviceBusClientFromSettings", () => {
  it("uses the fully qualified namespace with Entra ID when no connection string is set", async () => {
    const c = serviceBusClientFromSettings(
      {
        Bus__fullyQualifiedNamespace: "example.servicebus.windows.net",
        Bus__clientId: "00000000-0000-0000-0000-000000000001",
      },
      "Bus",
    );
    expect(c.fullyQualifiedNamespace).toBe("example.servicebus.windows.net");
    await c.close();
  });

  it("names both settings when neither is set", () => {
    expect(() => serviceBusClientFromSettings({}, "Bus")).toThrow(
      /Bus .*Bus__fullyQualifiedNamespace/,
    );
  });
});

describe("resubmittedCopy", () => {
  it("keeps the message id within 128 characters", () => {
    const long = "x".repeat(200);
    const copy = resubmittedCopy(
      { messageId: long, body: 1 } as ServiceBusReceivedMessage,
      new Date(0),
    );
    expect(String(copy.messageId).length).toBeLessThanOrEqual(128);
    expect(String(copy.messageId)).toMatch(/:resubmit:0$/);
  });
});
