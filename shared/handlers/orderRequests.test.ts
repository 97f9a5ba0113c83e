import { aCreateOrderRequest } from "../contracts/testing/httpBuilders";
import { transitionOrder, type Order, type OrderStatus } from "../domain";
import type { SagaControl } from "../ports";
import { createAdvanceOrderHandler } from "./advanceOrder";
import { createCancelOrderHandler } from "./cancelOrder";
import { createHealthHandler } from "./health";
import { withProblemBoundary } from "./http/problemBoundary";
import type { ApiHandler } from "./http/apiTypes";
import { createSetInventoryHandler } from "./setInventory";
import { apiRequest, jsonOf, startApiTestbed, type ApiTestbed } from "./testing/apiTestbed";
import { placeOrderOn } from "./testing/placeOrderOn";

let bed: ApiTestbed;
beforeAll(async () => {
  bed = await startApiTestbed();
});
afterAll(async () => {
  await bed.close();
});

/**
 * Records the events raised on the saga. The Durable engine is reached through the local
 * host only (functions/ tests); here the port's contract is what is checked.
 */
function recordingSaga(): SagaControl & { raised: Array<[string, string, unknown]> } {
  const raised: Array<[string, string, unknown]> = [];
  return {
    raised,
    raiseEvent: (orderId, eventName, payload) => {
      raised.push([orderId, eventName, payload]);
      return Promise.resolve();
    },
  };
}

const guard = (handler: ApiHandler) => withProblemBoundary(handler, bed.logger);

async function placed(customerId: string): Promise<string> {
  const response = await placeOrderOn(bed)(
    apiRequest({
      method: "POST",
      headers: { "X-Customer-Id": customerId },
      body: aCreateOrderRequest(),
    }),
  );
  return String(jsonOf(response).orderId);
}

/** Moves a stored order along the happy path to `status`, as the saga would. */
async function moveTo(customerId: string, orderId: string, path: OrderStatus[]): Promise<Order> {
  let found = await bed.orders.get(customerId, orderId);
  for (const status of path) {
    if (found === undefined) throw new Error("order vanished");
    found = await bed.orders.replace(
      transitionOrder(found.order, status, bed.clock.now()),
      found.etag,
    );
  }
  return (found as { order: Order }).order;
}

const orderRequest = (orderId: string, headers: Record<string, string>) =>
  apiRequest({ method: "POST", headers, params: { orderId } });

describe("createCancelOrderHandler", () => {
  it("records Cancelling with the customer's reason and raises CancelRequested", async () => {
    const saga = recordingSaga();
    const cancel = guard(createCancelOrderHandler({ orders: bed.orders, saga, clock: bed.clock }));
    const orderId = await placed("cancel-1");
    const response = await cancel(orderRequest(orderId, { "X-Customer-Id": "cancel-1" }));
    expect(response.status).toBe(202);
    expect(jsonOf(response)).toEqual({ orderId, status: "Cancelling" });
    expect((await bed.orders.get("cancel-1", orderId))?.order).toMatchObject({
      status: "Cancelling",
      failureReason: "CancelledByCustomer",
    });
    expect(saga.raised).toEqual([
      [
        orderId,
        "CancelRequested",
        { reason: "CancelledByCustomer", requestedAt: expect.any(String) },
      ],
    ]);
    // Asking again is 202 again, and the saga hears it again (it ignores repeats).
    expect((await cancel(orderRequest(orderId, { "X-Customer-Id": "cancel-1" }))).status).toBe(202);
  });

  it("lets an admin cancel any order, as the operator", async () => {
    const saga = recordingSaga();
    const cancel = guard(createCancelOrderHandler({ orders: bed.orders, saga, clock: bed.clock }));
    const orderId = await placed("cancel-2");
    expect((await cancel(orderRequest(orderId, { "X-Roles": "support, admin" }))).status).toBe(202);
    expect((await bed.orders.get("cancel-2", orderId))?.order.failureReason).toBe(
      "CancelledByOperator",
    );
  });

  it("is 404 for another customer's order and 409 once shipped", async () => {
    const saga = recordingSaga();
    const cancel = guard(createCancelOrderHandler({ orders: bed.orders, saga, clock: bed.clock }));
    const orderId = await placed("cancel-3");
    expect((await cancel(orderRequest(orderId, { "X-Customer-Id": "cancel-x" }))).status).toBe(404);
    await moveTo("cancel-3", orderId, [
      "InventoryReserved",
      "PaymentAuthorized",
      "Confirmed",
      "Shipped",
    ]);
    const refused = await cancel(orderRequest(orderId, { "X-Customer-Id": "cancel-3" }));
    expect(refused.status).toBe(409);
    expect(jsonOf(refused).type).toBe("/problems/invalid-order-status");
    expect(saga.raised).toEqual([]);
  });
});

describe("createAdvanceOrderHandler", () => {
  it("ships a Confirmed order by raising ShipRequested; 409 from other statuses; 403 without admin", async () => {
    const saga = recordingSaga();
    const ship = guard(
      createAdvanceOrderHandler("ship", { orders: bed.orders, saga, clock: bed.clock }),
    );
    const deliver = guard(
      createAdvanceOrderHandler("deliver", { orders: bed.orders, saga, clock: bed.clock }),
    );
    const orderId = await placed("ship-1");
    expect((await ship(orderRequest(orderId, { "X-Customer-Id": "ship-1" }))).status).toBe(403);
    expect((await ship(orderRequest(orderId, { "X-Roles": "admin" }))).status).toBe(409);
    await moveTo("ship-1", orderId, ["InventoryReserved", "PaymentAuthorized", "Confirmed"]);
    expect((await deliver(orderRequest(orderId, { "X-Roles": "admin" }))).status).toBe(409);
    expect((await ship(orderRequest(orderId, { "X-Roles": "admin" }))).status).toBe(202);
    expect(saga.raised.map(([, name]) => name)).toEqual(["ShipRequested"]);
    await moveTo("ship-1", orderId, ["Shipped"]);
    expect((await deliver(orderRequest(orderId, { "X-Roles": "admin" }))).status).toBe(202);
    expect(saga.raised.map(([, name]) => name)).toEqual(["ShipRequested", "DeliverRequested"]);
    expect((await ship(orderRequest("missing", { "X-Roles": "admin" }))).status).toBe(404);
  });
});

describe("createSetInventoryHandler", () => {
  it("refuses stock below reserved + committed with 422 and sets it otherwise", async () => {
    const setInventory = guard(createSetInventoryHandler({ catalog: bed.catalog }));
    const products = bed.cosmos.database("orders").container("products");
    const { resource } = await products.item("SKU-0020", "SKU-0020").read();
    await products.item("SKU-0020", "SKU-0020").replace({ ...resource, reserved: 4, committed: 3 });
    const put = (stock: unknown) =>
      setInventory(
        apiRequest({
          method: "PUT",
          headers: { "X-Roles": "admin" },
          params: { sku: "SKU-0020" },
          body: { stock },
        }),
      );
    const refused = await put(6);
    expect(refused.status).toBe(422);
    expect(jsonOf(refused).detail).toContain("7");
    const accepted = await put(7);
    expect(accepted.status).toBe(200);
    expect(jsonOf(accepted)).toEqual({
      sku: "SKU-0020",
      stock: 7,
      reserved: 4,
      committed: 3,
      available: 0,
    });
    // The worker's fields survive the API's write.
    expect((await products.item("SKU-0020", "SKU-0020").read()).resource).toMatchObject({
      reserved: 4,
      committed: 3,
    });
  });
});

describe("createHealthHandler", () => {
  it("is 200 when every probe answers and 503 naming the one that does not", async () => {
    const ok = { name: "cosmos", check: () => Promise.resolve() };
    const hangs = {
      name: "serviceBus",
      check: (signal: AbortSignal) =>
        new Promise<void>((_, reject) =>
          signal.addEventListener("abort", () => reject(new Error("aborted"))),
        ),
    };
    const healthy = await createHealthHandler({ probes: [ok], timeoutInMs: 200 })(apiRequest());
    expect(healthy.status).toBe(200);
    const sick = await createHealthHandler({ probes: [ok, hangs], timeoutInMs: 200 })(apiRequest());
    expect(sick.status).toBe(503);
    expect(jsonOf(sick)).toEqual({
      status: "unavailable",
      checks: {
        cosmos: { status: "ok" },
        serviceBus: { status: "failed", error: "no answer within 200 ms" },
      },
    });
  });
});
