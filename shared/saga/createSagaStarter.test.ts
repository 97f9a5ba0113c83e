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

describe("createSagaStarter", () => {
  it("writes StartSaga to each delivery's invocation log, without the customer's address", async () => {
    let ms = 0;
    const start = createSagaStarter({
      timeouts: { inventorySeconds: 15, paymentSeconds: 15 },
      now: () => new Date((ms += 2)),
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
});
