import { anItem } from "../../shared/contracts/testing/httpBuilders";
import type { Product } from "../../shared/contracts/http/products";
import { type PlacedOrder, admin, hasStatus } from "../support/apiClient";
import {
  type SagaStack,
  expectInvariants,
  paymentRecordOf,
  productStockOf,
  startSagaStack,
  waitForEmails,
  waitForStep,
} from "./sagaStack";

let stack: SagaStack;
beforeAll(async () => {
  stack = await startSagaStack();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const available = async (sku: string) =>
  (await stack.api.call<Product>(`/products/${sku}`)).json.available;
const cancel = (
  order: PlacedOrder,
  as: { customerId: string; roles?: string } = { customerId: order.customerId },
) => stack.api.call(`/orders/${order.orderId}/cancel`, { method: "POST", ...as });

async function order(customerId: string, sku: string, token = "tok_visa"): Promise<PlacedOrder> {
  return stack.api.placeOrder(customerId, {
    items: [anItem({ sku, quantity: 2 })],
    payment: { method: "card", token },
  });
}

describe("cancellation on the local stack", () => {
  it("cancels an order at once after placing it, holding nothing", async () => {
    await stack.api.setStock("SKU-0020", 10);
    const placed = await order("cancel-early", "SKU-0020");
    expect((await cancel(placed)).status).toBe(202);
    const cancelled = await stack.api.waitForOrder(placed, hasStatus("Cancelled"));
    expect(cancelled.failureReason).toBe("CancelledByCustomer");
    expect(await available("SKU-0020")).toBe(10);
    await waitForEmails(stack, placed.orderId, ["OrderCancelled"]);
    await expectInvariants(stack, [placed.orderId]);
  }, 60_000);

  it("cancels while waiting for the payment, voiding and releasing", async () => {
    await stack.api.setStock("SKU-0021", 10);
    const placed = await order("cancel-payment", "SKU-0021", "tok_timeout");
    await waitForStep(stack, placed.orderId, "AuthorizePayment");
    expect((await cancel(placed)).status).toBe(202);
    const cancelled = await stack.api.waitForOrder(placed, hasStatus("Cancelled"));
    expect(cancelled.timeline.map((t) => t.status)).toEqual([
      "Pending",
      "InventoryReserved",
      "Cancelling",
      "Cancelled",
    ]);
    expect(await available("SKU-0021")).toBe(10);
    await expectInvariants(stack, [placed.orderId]);
  }, 60_000);

  it("cancels as soon as payment is authorized (during capture, or just after): ends Cancelled, nothing kept", async () => {
    await stack.api.setStock("SKU-0022", 10);
    const placed = await order("cancel-capture", "SKU-0022");
    await stack.api.waitForOrder(placed, hasStatus("PaymentAuthorized", "Confirmed"));
    expect((await cancel(placed)).status).toBe(202);
    await stack.api.waitForOrder(placed, hasStatus("Cancelled"));
    expect(await available("SKU-0022")).toBe(10);
    await expectInvariants(stack, [placed.orderId]);
  }, 60_000);

  it("cancels a Confirmed order by an operator: refund and restock, then 409 for ship", async () => {
    await stack.api.setStock("SKU-0023", 10);
    const placed = await order("cancel-confirmed", "SKU-0023");
    await stack.api.waitForOrder(placed, hasStatus("Confirmed"));
    expect(await available("SKU-0023")).toBe(8);
    expect((await cancel(placed, admin)).status).toBe(202);
    const cancelled = await stack.api.waitForOrder(placed, hasStatus("Cancelled"));
    expect(cancelled.failureReason).toBe("CancelledByOperator");
    expect(await available("SKU-0023")).toBe(10);
    const payment = await paymentRecordOf(stack, placed.orderId);
    expect(payment?.operations).toMatchObject({
      capture: { outcome: "captured" },
      refund: { outcome: "refunded" },
    });
    const emails = await waitForEmails(stack, placed.orderId, ["OrderConfirmed", "OrderCancelled"]);
    expect(emails.OrderCancelled).toContain("goes back to your card");
    expect(
      (await stack.api.call(`/orders/${placed.orderId}/ship`, { method: "POST", ...admin })).status,
    ).toBe(409);
    await expectInvariants(stack, [placed.orderId]);
  }, 60_000);

  it("cancels the moment Confirmed is seen (while the saga still announces it): refund and restock", async () => {
    // The cancel lands while the saga runs the Confirmed announcement's activities, before it
    // waits for ship or cancel: the event must wait for it, not go to an earlier step's wait.
    const sku = "SKU-0025";
    await stack.api.setStock(sku, 10);
    const placed = await Promise.all(
      ["a", "b", "c"].map((n) => order(`cancel-on-confirmed-${n}`, sku)),
    );
    await Promise.all(
      placed.map(async (p) => {
        await stack.api.waitForOrder(p, hasStatus("Confirmed"), 60_000, 5);
        expect((await cancel(p)).status).toBe(202);
      }),
    );
    for (const p of placed) {
      const cancelled = await stack.api.waitForOrder(p, hasStatus("Cancelled"), 30_000);
      expect(cancelled.failureReason).toBe("CancelledByCustomer");
      const payment = await paymentRecordOf(stack, p.orderId);
      expect(payment?.operations).toMatchObject({
        capture: { outcome: "captured" },
        refund: { outcome: "refunded" },
      });
    }
    expect(await available(sku)).toBe(10);
    await expectInvariants(
      stack,
      placed.map((p) => p.orderId),
    );
  }, 90_000);

  it("lets exactly one of a racing ship and cancel win: an accepted cancel always ends Cancelled", async () => {
    const skus = ["SKU-0025", "SKU-0026", "SKU-0027", "SKU-0028", "SKU-0029", "SKU-0030"];
    for (const sku of skus) await stack.api.setStock(sku, 10);
    const placed = await Promise.all(skus.map((sku, i) => order(`race-${i}`, sku)));
    await stack.api.waitForAll(placed, hasStatus("Confirmed"), 60_000);
    const ship = (o: PlacedOrder) =>
      stack.api.call(`/orders/${o.orderId}/ship`, { method: "POST", ...admin });
    // Both requests in flight at once, in either order of sending.
    const answers = await Promise.all(
      placed.map(async (o, i) => {
        const [cancelled, shipped] =
          i % 2 === 0
            ? await Promise.all([cancel(o), ship(o)])
            : await Promise.all([ship(o), cancel(o)]).then(([s, c]) => [c, s] as const);
        return { cancel: cancelled.status, ship: shipped.status };
      }),
    );
    const settled = await stack.api.waitForAll(placed, hasStatus("Cancelled", "Shipped"), 60_000);
    for (const [i, view] of settled.entries()) {
      const o = placed[i] as PlacedOrder;
      const sku = skus[i] as string;
      const answer = answers[i] as { cancel: number; ship: number };
      // The customer told 202 gets the cancel; a 409 means the goods had already gone.
      expect([answer.cancel, view.status]).toEqual(
        answer.cancel === 202 ? [202, "Cancelled"] : [409, "Shipped"],
      );
      const wonByCancel = view.status === "Cancelled";
      await waitForEmails(stack, o.orderId, [wonByCancel ? "OrderCancelled" : "OrderShipped"]);
      expect(await productStockOf(stack, sku)).toMatchObject({
        stock: wonByCancel ? 10 : 8,
        reserved: 0,
        committed: 0,
      });
      const payment = (await paymentRecordOf(stack, o.orderId)) as {
        operations: Record<string, unknown>;
      };
      expect(Object.keys(payment.operations).includes("refund")).toBe(wonByCancel);
    }
    await expectInvariants(
      stack,
      placed.map((o) => o.orderId),
    );
  }, 120_000);

  it("refuses to cancel a shipped order (409), which then delivers", async () => {
    await stack.api.setStock("SKU-0024", 10);
    const placed = await order("cancel-shipped", "SKU-0024");
    await stack.api.waitForOrder(placed, hasStatus("Confirmed"));
    expect(
      (await stack.api.call(`/orders/${placed.orderId}/ship`, { method: "POST", ...admin })).status,
    ).toBe(202);
    await stack.api.waitForOrder(placed, hasStatus("Shipped"));
    expect((await cancel(placed)).status).toBe(409);
    expect(
      (await stack.api.call(`/orders/${placed.orderId}/deliver`, { method: "POST", ...admin }))
        .status,
    ).toBe(202);
    await stack.api.waitForOrder(placed, hasStatus("Delivered"));
    await expectInvariants(stack, [placed.orderId]);
  }, 60_000);
});
