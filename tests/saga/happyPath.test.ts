import { anItem } from "../../shared/contracts/testing/httpBuilders";
import type { SagaStack } from "./sagaStack";
import {
  call,
  hasStatus,
  placeOrder,
  setStock,
  startSagaStack,
  waitForEmails,
  waitForOrder,
} from "./sagaStack";

let stack: SagaStack;
beforeAll(async () => {
  stack = await startSagaStack();
}, 120_000);
afterAll(() => stack?.stop());

describe("order saga on the local stack: happy path", () => {
  it("confirms, ships and delivers an order, emailing at each stage", async () => {
    await setStock(stack, "SKU-0010", 10);
    const order = await placeOrder(stack, "happy-1", {
      items: [anItem({ sku: "SKU-0010", quantity: 2 })],
    });
    const confirmed = await waitForOrder(stack, order, hasStatus("Confirmed"));
    expect(confirmed.timeline.map((t) => t.status)).toEqual([
      "Pending",
      "InventoryReserved",
      "PaymentAuthorized",
      "Confirmed",
    ]);
    const product = await call(stack, "/products/SKU-0010");
    expect(product.json.available).toBe(8);
    await waitForEmails(stack, order.orderId, ["OrderConfirmed"]);

    expect(
      (
        await call(stack, `/orders/${order.orderId}/ship`, {
          method: "POST",
          customerId: "op",
          roles: "admin",
        })
      ).status,
    ).toBe(202);
    await waitForOrder(stack, order, hasStatus("Shipped"));
    expect(
      (
        await call(stack, `/orders/${order.orderId}/deliver`, {
          method: "POST",
          customerId: "op",
          roles: "admin",
        })
      ).status,
    ).toBe(202);
    await waitForOrder(stack, order, hasStatus("Delivered"));
    const emails = await waitForEmails(stack, order.orderId, [
      "OrderConfirmed",
      "OrderShipped",
      "OrderDelivered",
    ]);
    expect(emails.OrderConfirmed).toContain("To: ada@example.com");
    expect(emails.OrderConfirmed).toContain("is confirmed");
  }, 120_000);
});
