import { recordingInvocation } from "../adapters/logging/testing/recordingInvocation";
import { OrderPlacedDataSchema, OrderPlacedSchema } from "../contracts/messages/orderPlaced";
import { ORDER_ID, VALID_PAYLOADS } from "../contracts/testing/messageBuilders";
import { aCommand } from "../workers/testing/workerTestbed";
import { createSagaStarter } from "./createSagaStarter";
import type { SagaInstances } from "./sagaInstances";

/** Instances that remember what was started (the Durable engine has its own tests). */
function memoryInstances(): SagaInstances {
  const started = new Set<string>();
  return {
    state: (id) => Promise.resolve(started.has(id) ? "running" : "absent"),
    start: (id) => {
      if (started.has(id)) return Promise.resolve("exists");
      started.add(id);
      return Promise.resolve("started");
    },
    raise: () => Promise.resolve("raised"),
  };
}

/** Orders the starter can find, by customer and id (the Cosmos repository has its own tests). */
function storedOrders(...orders: Array<Record<string, unknown>>) {
  return {
    get: (customerId: string, orderId: string) => {
      const order = orders.find((o) => o.orderId === orderId && o.customerId === customerId);
      return Promise.resolve(order ? { order: order as never, etag: "e" } : undefined);
    },
  };
}

describe("createSagaStarter", () => {
  it("writes StartSaga to each delivery's invocation log, without the customer's address", async () => {
    let ms = 0;
    const start = createSagaStarter({
      timeouts: { inventorySeconds: 15, paymentSeconds: 15 },
      now: () => new Date((ms += 2)),
      orders: storedOrders(OrderPlacedDataSchema.parse(VALID_PAYLOADS.OrderPlaced())),
    });
    const data = OrderPlacedDataSchema.parse(VALID_PAYLOADS.OrderPlaced());
    const placed = aCommand(OrderPlacedSchema, data);
    const instances = memoryInstances();
    const first = recordingInvocation("sagaStarter");
    const repeat = recordingInvocation("sagaStarter");
    await start({ ...placed, log: first.log }, instances);
    await start({ ...placed, log: repeat.log }, instances);
    const line = { orderId: ORDER_ID, correlationId: `corr-${ORDER_ID}`, step: "StartSaga" };
    expect(first.steps()).toEqual([
      { level: "information", fields: { ...line, outcome: "started", durationMs: 2 } },
    ]);
    expect(repeat.steps()).toEqual([
      { level: "information", fields: { ...line, outcome: "exists", durationMs: 2 } },
    ]);
    expect(first.lines[0]?.message).not.toContain("ada@example.com");
  });

  it("starts nothing for an order that does not exist, and says why", async () => {
    const start = createSagaStarter({
      timeouts: { inventorySeconds: 45, paymentSeconds: 45 },
      now: () => new Date(0),
      orders: storedOrders(),
    });
    const placed = aCommand(
      OrderPlacedSchema,
      OrderPlacedDataSchema.parse(VALID_PAYLOADS.OrderPlaced()),
    );
    const instances = memoryInstances();
    const invocation = recordingInvocation("sagaStarter");
    await start({ ...placed, log: invocation.log }, instances);
    expect(await instances.state(ORDER_ID)).toBe("absent");
    expect(invocation.steps()).toEqual([
      {
        level: "warning",
        fields: {
          orderId: ORDER_ID,
          correlationId: `corr-${ORDER_ID}`,
          step: "StartSaga",
          outcome: "Refused:OrderNotFound",
          durationMs: 0,
        },
      },
    ]);
  });

  it("starts nothing for an event naming another customer than the stored order's", async () => {
    const stored = OrderPlacedDataSchema.parse(VALID_PAYLOADS.OrderPlaced());
    const start = createSagaStarter({
      timeouts: { inventorySeconds: 45, paymentSeconds: 45 },
      now: () => new Date(0),
      orders: storedOrders(stored),
    });
    const forged = aCommand(OrderPlacedSchema, { ...stored, customerId: "someone-else" });
    const instances = memoryInstances();
    const invocation = recordingInvocation("sagaStarter");
    await start({ ...forged, log: invocation.log }, instances);
    expect(await instances.state(ORDER_ID)).toBe("absent");
    expect(invocation.steps()).toEqual([
      expect.objectContaining({
        level: "warning",
        fields: expect.objectContaining({ outcome: "Refused:OrderNotFound" }),
      }),
    ]);
  });

  it("runs the saga on the stored order's lines and total, not the event's", async () => {
    const stored = OrderPlacedDataSchema.parse(VALID_PAYLOADS.OrderPlaced());
    const forged = { ...stored, items: [{ ...stored.items[0]!, quantity: 9 }] };
    const inputs: unknown[] = [];
    const start = createSagaStarter({
      timeouts: { inventorySeconds: 45, paymentSeconds: 45 },
      now: () => new Date(0),
      orders: storedOrders(stored),
    });
    const instances = memoryInstances();
    await start(
      { ...aCommand(OrderPlacedSchema, forged), log: recordingInvocation("sagaStarter").log },
      {
        ...instances,
        start: (id, input) => {
          inputs.push(input);
          return instances.start(id, input);
        },
      },
    );
    expect(inputs).toEqual([expect.objectContaining({ items: stored.items, total: stored.total })]);
  });
});
