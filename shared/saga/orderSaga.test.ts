import { SAGA_ACTIVITIES, SAGA_REPLIES, SAGA_REQUESTS } from "./names";
import { orderSaga } from "./orderSaga";
import { FakeOrchestration } from "./testing/fakeOrchestration";
import { aSagaInput, published, runSaga, templates } from "./testing/runSaga";

describe("orderSaga", () => {
  it("reserves, authorizes, captures and commits, then waits for shipment as Confirmed", () => {
    const saga = runSaga();
    expect(saga.done).toBe(false);
    expect(saga.statuses()).toEqual(["InventoryReserved", "PaymentAuthorized", "Confirmed"]);
    expect(saga.commandTypes()).toEqual([
      "ReserveInventory",
      "AuthorizePayment",
      "CapturePayment",
      "CommitInventory",
      "SendNotification",
    ]);
    expect(published(saga)).toEqual(["OrderConfirmed"]);
    expect(saga.customStatuses.at(-1)).toEqual({ step: "AwaitingShipment" });
    expect(saga.pendingTimers()).toBe(0);
  });

  it("ships and delivers on request, retiring the stock and notifying each time", () => {
    const saga = runSaga().raise(SAGA_REQUESTS.ship).raise(SAGA_REQUESTS.deliver);
    expect(saga.done).toBe(true);
    expect(saga.output).toEqual({ orderId: "order-1", status: "Delivered", failureReason: null });
    expect(saga.statuses().slice(-2)).toEqual(["Shipped", "Delivered"]);
    expect(saga.commandTypes().slice(4)).toEqual([
      "SendNotification",
      "ShipInventory",
      "SendNotification",
      "SendNotification",
    ]);
    expect(templates(saga)).toEqual(["OrderConfirmed", "OrderShipped", "OrderDelivered"]);
    expect(published(saga)).toEqual(["OrderConfirmed", "OrderShipped", "OrderDelivered"]);
  });

  it("asks an unanswering inventory again to retire shipped stock, never compensating", () => {
    const saga = runSaga({ ShipInventory: null }).raise(SAGA_REQUESTS.ship);
    expect(saga.commandTypes().filter((t) => t === "ShipInventory")).toHaveLength(5);
    expect(saga.commandTypes()).not.toContain("RefundPayment");
    expect(saga.commandTypes()).not.toContain("ReleaseInventory");
    expect(templates(saga)).toEqual(["OrderConfirmed", "OrderShipped"]);
    expect(saga.customStatuses.at(-1)).toEqual({ step: "AwaitingDelivery" });
  });

  it("sets the timer deadline from orchestration time plus the step timeout", () => {
    const saga = runSaga({}, aSagaInput({ timeouts: { inventorySeconds: 7, paymentSeconds: 9 } }));
    const first = saga.timers[0]?.fireAt as Date;
    expect(first.getTime() - Date.parse("2026-01-01T00:00:00Z")).toBe(1000 + 7000);
  });

  it("lets a ship request win over a later cancel (the cancel is not honoured once Shipped)", () => {
    const saga = runSaga().raise(SAGA_REQUESTS.ship).raise(SAGA_REQUESTS.cancel);
    expect(saga.done).toBe(false);
    expect(saga.statuses().at(-1)).toBe("Shipped");
    expect(saga.commandTypes()).not.toContain("RefundPayment");
  });

  it("is deterministic: the same history gives the same activity calls", () => {
    const first = runSaga({ AuthorizePayment: null });
    const second = runSaga({ AuthorizePayment: null });
    expect(second.calls).toEqual(first.calls);
  });

  it("passes the correlation to every activity and a step log on every status change", () => {
    const saga = runSaga({ AuthorizePayment: SAGA_REPLIES.paymentDeclined });
    for (const call of saga.calls) {
      expect((call.input as { trace: { correlationId: string } }).trace.correlationId).toBe(
        "corr-1",
      );
    }
    const statusCall = saga.calls.find((c) => c.name === SAGA_ACTIVITIES.updateOrderStatus);
    expect(statusCall?.input).toMatchObject({
      step: { step: "ReserveInventory", outcome: "Reserved" },
    });
    const firstUndo = saga.calls.find(
      (c) => (c.input as { command?: { type: string } }).command?.type === "VoidPayment",
    );
    expect(firstUndo?.input).toMatchObject({
      step: { step: "AuthorizePayment", outcome: "PaymentDeclined" },
    });
  });

  it("rejects an input that is not a saga input", () => {
    const saga = new FakeOrchestration({ orderId: "x" }, () => undefined);
    expect(() => saga.start(orderSaga)).toThrow();
  });
});
