import { SAGA_ACTIVITIES, SAGA_REPLIES, SAGA_REQUESTS } from "./names";
import { aSagaInput, published, runSaga, templates } from "./testing/runSaga";

describe("cancelSaga and failSaga (run through orderSaga)", () => {
  it("cancels instead of shipping when the API accepted a cancel before the ship was taken", () => {
    const saga = runSaga({}, aSagaInput(), (status) =>
      status === "Shipped"
        ? { applied: false, status: "Cancelling", failureReason: "CancelledByOperator" }
        : { applied: true, status, failureReason: null },
    ).raise(SAGA_REQUESTS.ship);
    expect(saga.output).toMatchObject({
      status: "Cancelled",
      failureReason: "CancelledByOperator",
    });
    expect(saga.commandTypes()).not.toContain("ShipInventory");
    expect(saga.commandTypes()).toEqual(
      expect.arrayContaining(["RefundPayment", "ReleaseInventory"]),
    );
    expect(published(saga)).toEqual(["OrderConfirmed", "OrderCancelled"]);
  });

  it("fails OutOfStock when inventory is rejected, releasing (a no-op) and notifying", () => {
    const saga = runSaga({ ReserveInventory: SAGA_REPLIES.inventoryRejected });
    expect(saga.output).toEqual({
      orderId: "order-1",
      status: "Failed",
      failureReason: "OutOfStock",
    });
    expect(saga.commandTypes()).toEqual([
      "ReserveInventory",
      "ReleaseInventory",
      "SendNotification",
    ]);
    expect(templates(saga)).toEqual(["OrderFailed"]);
    expect(published(saga)).toEqual(["OrderFailed"]);
  });

  it("fails PaymentDeclined, voiding before releasing (reverse order)", () => {
    const saga = runSaga({ AuthorizePayment: SAGA_REPLIES.paymentDeclined });
    expect(saga.output).toMatchObject({ status: "Failed", failureReason: "PaymentDeclined" });
    expect(saga.commandTypes()).toEqual([
      "ReserveInventory",
      "AuthorizePayment",
      "VoidPayment",
      "ReleaseInventory",
      "SendNotification",
    ]);
    expect(saga.statuses()).toEqual(["InventoryReserved", "Failed"]);
    const authorize = saga.calls.find(
      (c) => (c.input as { command?: { type: string } }).command?.type === "AuthorizePayment",
    );
    expect(authorize?.input).toMatchObject({
      command: { data: { idempotencyKey: "order-1:authorize", amount: { amount: 2598 } } },
    });
  });

  it("fails PaymentTimeout when the payment reply never comes, and releases inventory", () => {
    const saga = runSaga({ AuthorizePayment: null });
    expect(saga.output).toMatchObject({ status: "Failed", failureReason: "PaymentTimeout" });
    expect(saga.commandTypes()).toContain("ReleaseInventory");
    expect(saga.timers.some((t) => t.isCompleted)).toBe(true);
  });

  it("ends with a custom status that names the outcome, not the last step", () => {
    const saga = runSaga({ AuthorizePayment: SAGA_REPLIES.paymentDeclined });
    expect(saga.customStatuses.at(-1)).toEqual({
      step: "Done",
      status: "Failed",
      failureReason: "PaymentDeclined",
    });
  });

  it("fails InventoryTimeout when the inventory reply never comes", () => {
    const saga = runSaga({ ReserveInventory: null });
    expect(saga.output).toMatchObject({ status: "Failed", failureReason: "InventoryTimeout" });
  });

  it("names the silent participant when capture answers but the stock commit does not", () => {
    const saga = runSaga({ CommitInventory: null });
    expect(saga.output).toMatchObject({ status: "Failed", failureReason: "InventoryTimeout" });
    expect(saga.commandTypes()).toEqual(
      expect.arrayContaining(["RefundPayment", "ReleaseInventory"]),
    );
  });

  it("fails PaymentTimeout when the commit answers but the capture does not", () => {
    const saga = runSaga({ CapturePayment: null });
    expect(saga.output).toMatchObject({ status: "Failed", failureReason: "PaymentTimeout" });
  });

  it.each([
    ["ReserveInventory", ["ReleaseInventory"]],
    ["AuthorizePayment", ["VoidPayment", "ReleaseInventory"]],
    ["CapturePayment", ["RefundPayment", "ReleaseInventory"]],
  ])("cancels during %s, compensating %j in reverse", (step, undos) => {
    const saga = runSaga({ [step]: SAGA_REQUESTS.cancel });
    expect(saga.output).toMatchObject({
      status: "Cancelled",
      failureReason: "CancelledByCustomer",
    });
    expect(saga.statuses().slice(-2)).toEqual(["Cancelling", "Cancelled"]);
    const sent = saga.commandTypes();
    expect(sent.slice(sent.indexOf(step) + (step === "CapturePayment" ? 2 : 1), -1)).toEqual(undos);
    expect(templates(saga)).toEqual(["OrderCancelled"]);
    expect(saga.pendingTimers()).toBe(0);
  });

  it("cancels after Confirmed by refunding and restocking, with the operator's reason", () => {
    const saga = runSaga().raise(SAGA_REQUESTS.cancel, { reason: "CancelledByOperator" });
    expect(saga.output).toMatchObject({
      status: "Cancelled",
      failureReason: "CancelledByOperator",
    });
    expect(saga.commandTypes().slice(-3)).toEqual([
      "RefundPayment",
      "ReleaseInventory",
      "SendNotification",
    ]);
    expect(templates(saga)).toEqual(["OrderConfirmed", "OrderCancelled"]);
    const cancelled = saga.calls
      .map((c) => c.input as { command?: { type: string; data: { refund?: unknown } } })
      .filter((i) => i.command?.type === "SendNotification")
      .at(-1);
    expect(cancelled?.command?.data.refund).toEqual({ amount: 2598, currency: "USD" });
  });

  it("cancels at once when the Order API already moved the order to Cancelling", () => {
    const apiCancelled = (status: string) =>
      status === "Pending" || status === "InventoryReserved"
        ? { applied: false, status: "Cancelling", failureReason: "CancelledByOperator" }
        : { applied: status !== "Cancelling", status, failureReason: "CancelledByOperator" };
    const saga = runSaga({}, aSagaInput(), apiCancelled);
    expect(saga.output).toMatchObject({
      status: "Cancelled",
      failureReason: "CancelledByOperator",
    });
    expect(saga.commandTypes()).toEqual([
      "ReserveInventory",
      "ReleaseInventory",
      "SendNotification",
    ]);
    expect(published(saga)).toEqual(["OrderCancelled"]);
  });

  it("ends Cancelled, not Failed, when a cancel was accepted while a step failed", () => {
    const raced = (status: string) =>
      status === "Failed"
        ? { applied: false, status: "Cancelling", failureReason: "CancelledByCustomer" }
        : { applied: true, status, failureReason: null };
    const saga = runSaga({ AuthorizePayment: SAGA_REPLIES.paymentDeclined }, aSagaInput(), raced);
    expect(saga.output).toMatchObject({
      status: "Cancelled",
      failureReason: "CancelledByCustomer",
    });
    expect(saga.statuses().slice(-2)).toEqual(["Failed", "Cancelled"]);
    expect(published(saga)).toEqual(["OrderCancelled"]);
  });

  it("re-sends an unanswered compensation with a new attempt number, then still ends", () => {
    const saga = runSaga({ AuthorizePayment: SAGA_REPLIES.paymentDeclined, VoidPayment: null });
    const voids = saga.calls
      .filter((c) => c.name === SAGA_ACTIVITIES.sendCommand)
      .map((c) => c.input as { command: { type: string }; attempt: number })
      .filter((c) => c.command.type === "VoidPayment")
      .map((c) => c.attempt);
    expect(voids).toEqual([1, 2, 3, 4, 5]);
    expect(saga.output).toMatchObject({ status: "Failed", failureReason: "PaymentDeclined" });
  });
});
