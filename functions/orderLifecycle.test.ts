/**
 * An order's lifecycle requests over HTTP (cancel, ship, deliver) through the local Functions
 * host running the whole app, so the saga moves each order between them. No input may
 * produce a 500.
 */
import { aCreateOrderRequest, anItem } from "../shared/contracts/testing/httpBuilders";
import { hasStatus } from "../tests/support/apiClient";
import { expectProblem } from "../tests/support/expectProblem";
import { useTestStack } from "../tests/support/useTestStack";

// The tests wait for orders to move through the saga.
jest.setTimeout(240_000);

const { api } = useTestStack({
  // Generous step timeouts: on a loaded CI machine the saga must not fail an order these
  // tests wait on merely because a participant was slow.
  stepTimeoutSeconds: 120,
  failOnServerError: true,
});

describe("order requests through the saga", () => {
  it("cancel: 404 for another customer, 202 for the owner, the order ends Cancelled, then 409", async () => {
    const placed = await api.postOrder("canceller", aCreateOrderRequest());
    const { orderId } = placed.json;
    expectProblem(
      await api.call(`/orders/${orderId}/cancel`, { method: "POST", customerId: "intruder" }),
      404,
    );
    expectProblem(await api.call(`/orders/${orderId}/cancel`, { method: "POST" }), 401);
    const cancelled = await api.call(`/orders/${orderId}/cancel`, {
      method: "POST",
      customerId: "canceller",
    });
    expect(cancelled.status).toBe(202);
    expect(cancelled.json).toMatchObject({ orderId, status: "Cancelling" });
    const final = await api.waitForOrder(
      { orderId, roles: "admin" },
      hasStatus("Cancelled"),
      100_000,
    );
    expect(final.failureReason).toBe("CancelledByCustomer");
    expectProblem(
      await api.call(`/orders/${orderId}/cancel`, { method: "POST", customerId: "canceller" }),
      409,
    );
  });

  it("ship and deliver (admin): 403 without the role, 409 out of order, 202 in order", async () => {
    const placed = await api.postOrder(
      "shipper",
      aCreateOrderRequest({ items: [anItem({ sku: "SKU-0005", quantity: 1 })] }),
    );
    const { orderId } = placed.json;
    expectProblem(
      await api.call(`/orders/${orderId}/ship`, { method: "POST", customerId: "shipper" }),
      403,
    );
    expectProblem(
      await api.call(`/orders/${orderId}/deliver`, {
        method: "POST",
        customerId: "shipper",
        roles: "viewer",
      }),
      403,
    );
    await api.waitForOrder({ orderId, roles: "admin" }, hasStatus("Confirmed"), 100_000);
    expectProblem(
      await api.call(`/orders/${orderId}/deliver`, { method: "POST", roles: "admin" }),
      409,
    );
    expect(
      (await api.call(`/orders/${orderId}/ship`, { method: "POST", roles: "admin" })).status,
    ).toBe(202);
    await api.waitForOrder({ orderId, roles: "admin" }, hasStatus("Shipped"), 100_000);
    expectProblem(
      await api.call(`/orders/${orderId}/ship`, { method: "POST", roles: "admin" }),
      409,
    );
    expect(
      (await api.call(`/orders/${orderId}/deliver`, { method: "POST", roles: "admin" })).status,
    ).toBe(202);
    await api.waitForOrder({ orderId, roles: "admin" }, hasStatus("Delivered"), 100_000);
    expectProblem(
      await api.call(`/orders/${orderId}/cancel`, { method: "POST", roles: "admin" }),
      409,
    );
  });
});
