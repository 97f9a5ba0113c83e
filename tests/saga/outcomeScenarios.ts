import { anItem } from "../../shared/contracts/testing/httpBuilders";
import type { Product } from "../../shared/contracts/http/products";
import { type PlacedOrder, admin, hasStatus } from "../support/apiClient";
import {
  type SagaStack,
  expectInvariants,
  paymentRecordOf,
  productStockOf,
  startSagaStack,
  stepLines,
  waitForEmails,
} from "./sagaStack";

/**
 * The saga's outcomes, on `instances` Functions host processes (outcomes.test.ts runs them on
 * one, outcomes.twoInstances.test.ts on two sharing the work).
 */
export function describeOutcomes(instances: number): void {
  let stack: SagaStack;
  const placed: string[] = [];
  beforeAll(async () => {
    stack = await startSagaStack({ instances });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  async function order(
    customerId: string,
    sku: string,
    quantity: number,
    token = "tok_visa",
  ): Promise<PlacedOrder> {
    const result = await stack.api.placeOrder(customerId, {
      items: [anItem({ sku, quantity })],
      payment: { method: "card", token },
    });
    placed.push(result.orderId);
    return result;
  }

  const available = async (sku: string) =>
    (await stack.api.call<Product>(`/products/${sku}`)).json.available;

  describe(`order saga outcomes on the local stack, ${instances} host instance${instances > 1 ? "s" : ""} (HTTP in, .eml out)`, () => {
    it("confirms, ships and delivers an order, emailing at each stage and retiring shipped stock", async () => {
      await stack.api.setStock("SKU-0010", 10);
      const placedOrder = await order("happy-1", "SKU-0010", 2);
      const confirmed = await stack.api.waitForOrder(placedOrder, hasStatus("Confirmed"));
      expect(confirmed.timeline.map((t) => t.status)).toEqual([
        "Pending",
        "InventoryReserved",
        "PaymentAuthorized",
        "Confirmed",
      ]);
      expect(await available("SKU-0010")).toBe(8);
      expect(
        (await stack.api.call(`/orders/${placedOrder.orderId}/ship`, { method: "POST", ...admin }))
          .status,
      ).toBe(202);
      await stack.api.waitForOrder(placedOrder, hasStatus("Shipped"));
      // The shipped email goes once the stock is retired: the 2 units left on-hand stock, so an
      // operator's count of what is on the shelf can be set, and the order holds nothing.
      await waitForEmails(stack, placedOrder.orderId, ["OrderShipped"]);
      expect(await productStockOf(stack, "SKU-0010")).toMatchObject({
        stock: 8,
        reserved: 0,
        committed: 0,
        holds: {},
      });
      expect(await available("SKU-0010")).toBe(8);
      const recount = await stack.api.call("/inventory/SKU-0010", {
        method: "PUT",
        body: { stock: 0 },
        ...admin,
      });
      expect(recount.status).toBe(200);
      expect(recount.json).toMatchObject({ stock: 0, committed: 0, available: 0 });
      expect(
        (
          await stack.api.call(`/orders/${placedOrder.orderId}/deliver`, {
            method: "POST",
            ...admin,
          })
        ).status,
      ).toBe(202);
      await stack.api.waitForOrder(placedOrder, hasStatus("Delivered"));
      const emails = await waitForEmails(stack, placedOrder.orderId, [
        "OrderConfirmed",
        "OrderShipped",
        "OrderDelivered",
      ]);
      expect(emails.OrderConfirmed).toContain("To: ada@example.com");
      await expectInvariants(stack, [placedOrder.orderId]);
    }, 90_000);

    it("fails OutOfStock without holding anything when a line is short", async () => {
      await stack.api.setStock("SKU-0011", 1);
      const placedOrder = await order("oos-1", "SKU-0011", 3);
      const failed = await stack.api.waitForOrder(placedOrder, hasStatus("Failed"));
      expect(failed.failureReason).toBe("OutOfStock");
      expect(await available("SKU-0011")).toBe(1);
      const emails = await waitForEmails(stack, placedOrder.orderId, ["OrderFailed"]);
      expect(emails.OrderFailed).toContain("out of stock");
      await expectInvariants(stack, [placedOrder.orderId]);
    }, 60_000);

    it.each(["tok_decline", "tok_insufficient_funds"])(
      "fails PaymentDeclined for %s and releases the reservation",
      async (token) => {
        await stack.api.setStock("SKU-0012", 50);
        const before = await available("SKU-0012");
        const placedOrder = await order(`declined-${token}`, "SKU-0012", 1, token);
        const failed = await stack.api.waitForOrder(placedOrder, hasStatus("Failed"));
        expect(failed.failureReason).toBe("PaymentDeclined");
        expect(failed.timeline.map((t) => t.status)).toEqual([
          "Pending",
          "InventoryReserved",
          "Failed",
        ]);
        expect(await available("SKU-0012")).toBe(before);
        await waitForEmails(stack, placedOrder.orderId, ["OrderFailed"]);
        await expectInvariants(stack, [placedOrder.orderId]);
      },
      60_000,
    );

    it("fails PaymentTimeout for tok_timeout, releasing inventory and voiding", async () => {
      await stack.api.setStock("SKU-0013", 5);
      const placedOrder = await order("timeout-1", "SKU-0013", 2, "tok_timeout");
      const failed = await stack.api.waitForOrder(placedOrder, hasStatus("Failed"));
      expect(failed.failureReason).toBe("PaymentTimeout");
      expect(await available("SKU-0013")).toBe(5);
      const payment = await paymentRecordOf(stack, placedOrder.orderId);
      // The gateway may still be "waiting" when the saga's timer has fired and voided.
      expect(payment?.operations).toMatchObject({ void: { outcome: "nothingToVoid" } });
      expect(payment?.operations).not.toHaveProperty("authorize.outcome", "approved");
      await waitForEmails(stack, placedOrder.orderId, ["OrderFailed"]);
      await expectInvariants(stack, [placedOrder.orderId]);
    }, 60_000);

    it("confirms tok_flaky after the gateway's transient failures", async () => {
      await stack.api.setStock("SKU-0014", 5);
      const placedOrder = await order("flaky-1", "SKU-0014", 1, "tok_flaky");
      await stack.api.waitForOrder(placedOrder, hasStatus("Confirmed"));
      await waitForEmails(stack, placedOrder.orderId, ["OrderConfirmed"]);
      await expectInvariants(stack, [placedOrder.orderId]);
    }, 60_000);

    it("writes one structured step line per saga step with the workbook's field names", () => {
      const steps = stepLines(stack)
        .map((line) => line.fields)
        .filter((entry) => entry.orderId === placed[0]);
      const names = steps.map((s) => s.step);
      expect(names).toEqual(
        expect.arrayContaining(["ReserveInventory", "AuthorizePayment", "CapturePayment"]),
      );
      for (const entry of steps) {
        expect(entry).toMatchObject({
          orderId: expect.any(String),
          correlationId: expect.any(String),
          step: expect.any(String),
          outcome: expect.any(String),
        });
      }
      expect(steps.some((s) => typeof s.durationMs === "number")).toBe(true);
    });
  });
}
