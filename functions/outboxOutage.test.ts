/**
 * No accepted order is lost when Service Bus is down: the API still answers 202 (the order
 * and its OrderPlaced outbox entry are committed together), and once Service Bus is back the
 * timer-driven outbox relay publishes the event, so the saga starts and runs to the end.
 */
import { aCreateOrderRequest } from "../shared/contracts/testing/httpBuilders";
import {
  startServiceBusEmulator,
  type ServiceBusEmulator,
} from "@order-processing/local-runtime/servicebus";
import {
  startHostProcess,
  startStandIns,
  type HostProcess,
  type RunningStandIns,
} from "@order-processing/local-runtime/testing";

let standIns: RunningStandIns;
let emulator: ServiceBusEmulator;
let host: HostProcess;

beforeAll(async () => {
  standIns = await startStandIns({ serviceBus: false });
  emulator = await startServiceBusEmulator({ port: 0 });
  host = await startHostProcess({
    env: {
      ...standIns.settings,
      ServiceBusConnection: emulator.connectionString,
      SAGA_INVENTORY_TIMEOUT_SECONDS: "120",
      SAGA_PAYMENT_TIMEOUT_SECONDS: "120",
    },
    readyTimeoutMs: 60_000,
  });
}, 120_000);

afterAll(async () => {
  await host?.stop();
  await emulator?.close();
  await standIns?.stop();
});

async function readOrder(orderId: string): Promise<{ status: string }> {
  const response = await fetch(`${host.baseUrl}/api/orders/${orderId}`, {
    headers: { "X-Roles": "admin" },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { status: string };
}

it("accepts an order while Service Bus is down; the relay publishes it later and the saga starts", async () => {
  const port = emulator.port;
  await emulator.close();

  const response = await fetch(`${host.baseUrl}/api/orders`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Customer-Id": "outage",
      "Idempotency-Key": "outage-1",
    },
    body: JSON.stringify(aCreateOrderRequest()),
  });
  expect(response.status).toBe(202);
  const { orderId } = (await response.json()) as { orderId: string };
  expect((await readOrder(orderId)).status).toBe("Pending");

  emulator = await startServiceBusEmulator({ port });
  // The relay runs every 30 s and leaves entries younger than 10 s to their request.
  const deadline = Date.now() + 90_000;
  let status = "Pending";
  // Any move out of Pending means OrderPlaced reached the saga; how the saga then ends is
  // the saga's business (and its timeouts depend on the machine's load).
  while (status === "Pending") {
    if (Date.now() > deadline) throw new Error(`order still ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    status = (await readOrder(orderId)).status;
  }
  expect(["InventoryReserved", "PaymentAuthorized", "Confirmed"]).toContain(status);
  expect(host.lines.some((line) => line.includes("OrderPlaced not published now"))).toBe(true);
}, 150_000);
