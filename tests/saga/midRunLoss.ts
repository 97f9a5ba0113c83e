import { anItem } from "../../shared/contracts/testing/httpBuilders";
import { type PlacedOrder, hasStatus } from "../support/apiClient";
import { type SagaStack, expectInvariants } from "./sagaStack";

/**
 * The orders of the "a host dies mid-run" scenarios (hostRestart.test.ts, instanceLoss.test.ts):
 * 24 at once over three SKUs of 10 units, approved, declined and flaky cards.
 */
const SKUS = ["SKU-0050", "SKU-0051", "SKU-0052"];
const TOKENS = ["tok_visa", "tok_visa", "tok_decline", "tok_flaky"];

/** Places the orders; resolves once the first saga has made progress, while the others are in flight. */
export async function placeOrdersInFlight(stack: SagaStack): Promise<PlacedOrder[]> {
  for (const sku of SKUS) await stack.api.setStock(sku, 10);
  const placed: PlacedOrder[] = await Promise.all(
    Array.from({ length: 24 }, (_, i) =>
      stack.api.placeOrder(`restart-${i}`, {
        items: [anItem({ sku: SKUS[i % SKUS.length] as string, quantity: 1 })],
        payment: { method: "card", token: TOKENS[i % TOKENS.length] as string },
      }),
    ),
  );
  await stack.api.waitForAll(placed.slice(0, 1), (o) => o.status !== "Pending", 60_000);
  return placed;
}

/**
 * Every saga settles as if nothing had died, and the records agree. With step timeouts above
 * the queues' LockDuration (PT1M) plus a redelivery, as Bicep sets them in Azure, whatever the
 * dead host held comes back in time: a locked command or reply is redelivered when its lock
 * expires, work the engine had started is run again by whoever runs the saga next, a reply
 * raised while an engine resumes an instance is delivered, and payment commands that meet the
 * gateway circuit opened by the burst of tok_flaky retries wait for it instead of being
 * dead-lettered. So the loss changes no outcome.
 */
export async function expectEveryOrderSettled(
  stack: SagaStack,
  placed: readonly PlacedOrder[],
): Promise<void> {
  const settled = await stack.api.waitForAll(
    placed,
    hasStatus("Confirmed", "Failed", "Cancelled"),
    330_000,
  );
  const outcomes = settled.map((view) => `${view.status}:${view.failureReason ?? ""}`);
  const expected = placed.map((_, i) =>
    TOKENS[i % TOKENS.length] === "tok_decline" ? "Failed:PaymentDeclined" : "Confirmed:",
  );
  expect(outcomes).toEqual(expected);
  for (const sku of SKUS) {
    const confirmed = settled.filter(
      (o, i) => o.status === "Confirmed" && i % SKUS.length === SKUS.indexOf(sku),
    );
    expect((await stack.api.call(`/products/${sku}`)).json.available).toBe(10 - confirmed.length);
  }
  await expectInvariants(
    stack,
    placed.map((o) => o.orderId),
  );
}
