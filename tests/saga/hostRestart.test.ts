import { anItem } from "../../shared/contracts/testing/httpBuilders";
import { type PlacedOrder, hasStatus } from "../support/apiClient";
import { type SagaStack, expectInvariants, startSagaStack } from "./sagaStack";

let stack: SagaStack;
beforeAll(async () => {
  // Step timeouts above the queues' LockDuration (PT1M) plus a redelivery, as Bicep sets them
  // in Azure: a command locked by the killed host comes back when its lock expires, in time.
  stack = await startSagaStack({ timeoutSeconds: 150 });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

describe("a Functions host that dies mid-run", () => {
  it("loses no order: after a kill and a restart every saga settles and the records agree", async () => {
    const skus = ["SKU-0050", "SKU-0051", "SKU-0052"];
    for (const sku of skus) await stack.api.setStock(sku, 10);
    const tokens = ["tok_visa", "tok_visa", "tok_decline", "tok_flaky"];
    const placed: PlacedOrder[] = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        stack.api.placeOrder(`restart-${i}`, {
          items: [anItem({ sku: skus[i % skus.length] as string, quantity: 1 })],
          payment: { method: "card", token: tokens[i % tokens.length] as string },
        }),
      ),
    );
    // Kill as soon as the first saga has made progress, while the others are in flight.
    await stack.api.waitForAll(placed.slice(0, 1), (o) => o.status !== "Pending", 60_000);
    await stack.host.kill("SIGKILL");
    await stack.restartHost();
    const settled = await stack.api.waitForAll(
      placed,
      hasStatus("Confirmed", "Failed", "Cancelled"),
      330_000,
    );
    // With step timeouts above the lock duration, whatever the dead host held comes back in
    // time: a locked command or reply is redelivered when its lock expires, work the engine
    // had started is run again, a reply raised while the restarted engine resumes an instance
    // is delivered, and payment commands that meet the gateway circuit opened by the burst of
    // tok_flaky retries after the restart wait for it instead of being dead-lettered. So the
    // kill changes no outcome.
    const outcomes = settled.map((view) => `${view.status}:${view.failureReason ?? ""}`);
    const expected = placed.map((_, i) =>
      tokens[i % tokens.length] === "tok_decline" ? "Failed:PaymentDeclined" : "Confirmed:",
    );
    expect(outcomes).toEqual(expected);
    for (const sku of skus) {
      const confirmed = settled.filter(
        (o, i) => o.status === "Confirmed" && i % skus.length === skus.indexOf(sku),
      );
      expect((await stack.api.call(`/products/${sku}`)).json.available).toBe(10 - confirmed.length);
    }
    await expectInvariants(
      stack,
      placed.map((o) => o.orderId),
    );
  }, 400_000);
});
