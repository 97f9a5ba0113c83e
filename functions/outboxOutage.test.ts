/**
 * No accepted order is lost when Service Bus is down: the API still answers 202 (the order
 * and its OrderPlaced outbox entry are committed together), and once Service Bus is back the
 * timer-driven outbox relay publishes the event, so the saga starts and runs to the end.
 */
import { aCreateOrderRequest } from "../shared/contracts/testing/httpBuilders";
import { CONNECTIONS } from "../shared/config/names";
import {
  startServiceBusEmulator,
  type ServiceBusEmulator,
} from "@order-processing/local-runtime/servicebus";
import { startTestStack, type TestStack } from "../tests/support/testStack";
import { waitFor } from "../tests/support/waitFor";
import { orderTrace, type OrderTrace } from "../tools/trace/orderTrace";
import { readSpanFile } from "../tools/trace/spanFile";

let emulator: ServiceBusEmulator;
let stack: TestStack;

beforeAll(async () => {
  // The test's own emulator, so that it can stop it and start it again on the same port.
  emulator = await startServiceBusEmulator({ port: 0 });
  stack = await startTestStack({
    standIns: { serviceBus: false },
    stepTimeoutSeconds: 120,
    settings: { [CONNECTIONS.serviceBus]: emulator.connectionString },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await emulator?.close();
});

async function readOrder(orderId: string): Promise<{ status: string }> {
  const response = await stack.api.readOrder({ orderId, roles: "admin" });
  expect(response.status).toBe(200);
  return response.json;
}

it("accepts an order while Service Bus is down; the relay publishes it later and the saga starts", async () => {
  const port = emulator.port;
  await emulator.close();

  const response = await stack.api.postOrder("outage", aCreateOrderRequest(), {
    "Idempotency-Key": "outage-1",
  });
  expect(response.status).toBe(202);
  const { orderId } = response.json as { orderId: string };
  expect((await readOrder(orderId)).status).toBe("Pending");

  emulator = await startServiceBusEmulator({ port });
  // The relay runs every 30 s and leaves entries younger than 10 s to their request.
  // Any move out of Pending means OrderPlaced reached the saga; how the saga then ends is
  // the saga's business (and its timeouts depend on the machine's load).
  const { status } = await waitFor(
    async () => {
      const order = await readOrder(orderId);
      return order.status === "Pending" ? undefined : order;
    },
    { timeoutMs: 90_000, intervalMs: 500, what: "order still Pending" },
  );
  expect(["InventoryReserved", "PaymentAuthorized", "Confirmed"]).toContain(status);
  expect(stack.host.lines.some((line) => line.includes("OrderPlaced not published now"))).toBe(
    true,
  );

  // Published late, from the relay's timer invocation, the event still belongs to the
  // order's trace: the saga's consumer span hangs under the request that accepted it.
  let last: OrderTrace | undefined;
  const trace = await waitFor(
    () => {
      last = orderTrace(readSpanFile(stack.tracesFile), orderId);
      const consumed = last.spans.some((s) => s.name === "process order-events/saga");
      return consumed && last.roots.length === 1 ? last : undefined;
    },
    {
      timeoutMs: 30_000,
      what: () =>
        `one trace for ${orderId}; roots: ${last?.roots.map((r) => r.span.name).join(", ") ?? "none"}`,
    },
  );
  expect(trace.traceIds).toHaveLength(1);
  expect(trace.roots.map((r) => r.span.name)).toEqual(["POST /api/orders"]);
}, 150_000);
