/**
 * One trace per order (OpenTelemetry): the host writes its spans as OTLP JSON lines to the
 * stack's TRACES_FILE, read here the way `npm run trace` reads them (tools/trace).
 */
import { ServiceBusClient } from "@azure/service-bus";
import { CONNECTIONS, QUEUES } from "../../shared/config/names";
import { anItem } from "../../shared/contracts/testing/httpBuilders";
import { orderTrace, type OrderTrace } from "../../tools/trace/orderTrace";
import { readSpanFile, type SpanRecord } from "../../tools/trace/spanFile";
import { hasStatus } from "../support/apiClient";
import type { TestStack } from "../support/testStack";
import { waitFor } from "../support/waitFor";
import { startSagaStack, waitForEmails, waitForStep } from "./sagaStack";

let stack: TestStack;
beforeAll(async () => {
  stack = await startSagaStack();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

/**
 * The order's spans once `done` holds for them and the tree is whole. Spans are exported in
 * batches when they end, and a parent ends after its children, so a child can reach the file
 * a batch before its parent does; until the parent lands the child looks like a second root.
 */
function traceOnce(orderId: string, done: (trace: OrderTrace) => boolean): Promise<OrderTrace> {
  let last: OrderTrace | undefined;
  return waitFor(
    () => {
      last = orderTrace(readSpanFile(stack.tracesFile), orderId);
      return done(last) && last.roots.length === 1 ? last : undefined;
    },
    {
      timeoutMs: 30_000,
      what: () =>
        `a whole trace of ${orderId}; roots: ${last?.roots.map((r) => r.span.name).join(", ") ?? "none"}; ` +
        `spans: ${last?.spans.map((s) => s.name).join(", ") ?? "none"}`,
    },
  );
}

const named = (trace: OrderTrace, name: string): SpanRecord[] =>
  trace.spans.filter((s) => s.name === name);
const emailSent = (template: string) => (trace: OrderTrace) =>
  trace.spans.some(
    (s) => s.name === "send email" && s.attributes["saga.step"] === `Notify:${template}`,
  );

function parentOf(trace: OrderTrace, span: SpanRecord): SpanRecord | undefined {
  return trace.spans.find((s) => s.spanId === span.parentSpanId);
}

/** Executions of the orchestrator function the host has logged so far. */
function orchestratorRuns(): number {
  return stack.host.lines.filter((l) => l.includes("Executed 'Functions.orderSaga'")).length;
}

describe("one trace per order", () => {
  it("follows a confirmed order in one trace from the 202 to the email, every hop with a parent", async () => {
    await stack.api.setStock("SKU-0040", 5);
    const runsBefore = orchestratorRuns();
    const order = await stack.api.placeOrder("trace-ada", {
      items: [anItem({ sku: "SKU-0040", quantity: 1 })],
    });
    await stack.api.waitForOrder(order, hasStatus("Confirmed"));
    await waitForEmails(stack, order.orderId, ["OrderConfirmed"]);
    await waitForStep(stack, order.orderId, "AwaitingShipment");
    const trace = await traceOnce(order.orderId, emailSent("OrderConfirmed"));

    expect(trace.traceIds).toHaveLength(1);
    // One root, the accepting request; every other span's parent is in the trace.
    expect(trace.roots.map((r) => r.span.name)).toEqual(["POST /api/orders"]);
    const root = trace.roots[0]!.span;
    expect(root.kind).toBe("server");
    expect(root.attributes["http.response.status_code"]).toBe(202);
    expect(root.attributes["order.id"]).toBe(order.orderId);
    for (const span of trace.spans.filter((s) => s !== root)) {
      expect({ span: span.name, parent: parentOf(trace, span)?.name }).toEqual({
        span: span.name,
        parent: expect.any(String),
      });
    }

    // Every hop: each consumer's parent is the producer that sent its message.
    const consumers = trace.spans.filter((s) => s.kind === "consumer");
    expect(consumers.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        "process order-events/saga",
        `process ${QUEUES.inventory}`,
        `process ${QUEUES.payments}`,
        `process ${QUEUES.sagaReplies}`,
        `process ${QUEUES.notifications}`,
      ]),
    );
    for (const consumer of consumers) {
      const producer = parentOf(trace, consumer);
      expect({ consumer: consumer.name, parent: producer?.kind }).toEqual({
        consumer: consumer.name,
        parent: "producer",
      });
      expect(producer?.attributes["messaging.message.id"]).toBe(
        consumer.attributes["messaging.message.id"],
      );
    }

    // Across the Durable boundary: the starter starts the first episode, activities are
    // children of the episode that scheduled them, replies raise the next episodes.
    const episodes = named(trace, "orchestrator orderSaga");
    const first = episodes.reduce((a, b) => (a.startMs <= b.startMs ? a : b));
    expect(parentOf(trace, first)?.name).toBe("process order-events/saga");
    for (const activity of trace.spans.filter((s) => s.name.startsWith("activity "))) {
      expect({ activity: activity.name, parent: parentOf(trace, activity)?.name }).toEqual({
        activity: activity.name,
        parent: "orchestrator orderSaga",
      });
    }
    expect(episodes.some((e) => parentOf(trace, e)?.name === `process ${QUEUES.sagaReplies}`)).toBe(
      true,
    );

    // A replayed orchestrator adds no span: each run of the orchestrator replays the whole
    // history, yet there is one episode span per run and one span per saga step.
    expect(episodes).toHaveLength(orchestratorRuns() - runsBefore);
    expect(new Set(trace.spans.map((s) => s.spanId)).size).toBe(trace.spans.length);
    const steps = trace.spans.filter((s) => s.name.startsWith("saga step "));
    expect(steps.map((s) => s.attributes["saga.step"]).sort()).toEqual([
      "AuthorizePayment",
      "CapturePayment",
      "ReserveInventory",
    ]);

    // Client spans: Cosmos DB operations, the Service Bus SDK's own sends (through
    // @azure/core-tracing) and the email send.
    const cosmos = trace.spans.filter((s) => s.attributes["db.system.name"] === "azure.cosmosdb");
    expect(cosmos.length).toBeGreaterThan(0);
    expect(cosmos.every((s) => s.kind === "client")).toBe(true);
    expect(cosmos.some((s) => s.attributes["order.id"] === order.orderId)).toBe(true);
    const sdkSends = named(trace, "ServiceBusSender.send");
    expect(sdkSends.length).toBeGreaterThan(0);
    expect(sdkSends.every((s) => parentOf(trace, s)?.kind === "producer")).toBe(true);
    const email = trace.spans.find((s) => s.name === "send email");
    expect(email?.kind).toBe("client");
    expect(email?.attributes["order.id"]).toBe(order.orderId);

    // The local Durable engine's own storage calls are traced nowhere, in no trace: in Azure
    // the engine runs in the Functions host, outside the app's tracing.
    const engineStorage = readSpanFile(stack.tracesFile).filter((s) =>
      /^(TableClient|TableTransaction|QueueClient)/.test(s.name),
    );
    expect(engineStorage.map((s) => s.name)).toEqual([]);
  }, 90_000);

  it("follows a declined order through its compensation in one trace", async () => {
    await stack.api.setStock("SKU-0041", 5);
    const order = await stack.api.placeOrder("trace-bob", {
      items: [anItem({ sku: "SKU-0041", quantity: 1 })],
      payment: { method: "card", token: "tok_decline" },
    });
    await stack.api.waitForOrder(order, hasStatus("Failed"));
    const trace = await traceOnce(order.orderId, emailSent("OrderFailed"));
    expect(trace.traceIds).toHaveLength(1);
    expect(trace.roots).toHaveLength(1);
    const declined = trace.spans.find(
      (s) =>
        s.name === `process ${QUEUES.sagaReplies}` &&
        s.attributes["saga.step"] === "PaymentDeclined",
    );
    expect(declined).toBeDefined();
    expect(
      trace.spans.some(
        (s) =>
          s.name === `send ${QUEUES.inventory}` && s.attributes["saga.step"] === "ReleaseInventory",
      ),
    ).toBe(true);
  }, 90_000);

  it("records a poison message's error on its span", async () => {
    const client = new ServiceBusClient(stack.settings[CONNECTIONS.serviceBus] as string);
    try {
      const sender = client.createSender(QUEUES.inventory);
      await sender.sendMessages({ messageId: "trace-poison", body: { specversion: "1.0" } });
      await sender.close();
    } finally {
      await client.close();
    }
    const span = await waitFor(
      () =>
        readSpanFile(stack.tracesFile).find(
          (s) => s.kind === "consumer" && s.attributes["messaging.message.id"] === "trace-poison",
        ),
      { timeoutMs: 30_000, what: "the poison message's span" },
    );
    expect(span.status).toBe("error");
    expect(span.attributes["messaging.servicebus.dead_letter_reason"]).toBe("InvalidMessage");
    expect(span.exceptions[0]?.message).toContain("invalid message");
  }, 60_000);
});
