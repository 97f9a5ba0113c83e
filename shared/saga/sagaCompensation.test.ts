import { SAGA_ACTIVITIES, SAGA_REPLIES, SAGA_REQUESTS } from "./names";
import { orderSaga } from "./orderSaga";
import { FakeOrchestration } from "./testing/fakeOrchestration";
import {
  HAPPY_REPLIES,
  aSagaInput,
  participants,
  published,
  runSaga,
  templates,
} from "./testing/runSaga";

/** The saga with every participant answering, and one activity failing for good. */
function sagaWhereFails(failing: (name: string, input: unknown) => boolean): FakeOrchestration {
  const input = aSagaInput();
  const answer = (type: string, fake: FakeOrchestration) => {
    const reply = HAPPY_REPLIES[type];
    if (reply) fake.enqueue(reply, { orderId: input.orderId });
  };
  return new FakeOrchestration(input, (name, activityInput, fake) => {
    if (failing(name, activityInput)) throw new Error(`${name} failed after its retries`);
    return participants(name, activityInput, fake, answer);
  }).start(orderSaga);
}

const statusWrite = (status: string) => (name: string, input: unknown) =>
  name === SAGA_ACTIVITIES.updateOrderStatus && (input as { status: string }).status === status;

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
    const authorize = saga.commands().find((c) => c.type === "AuthorizePayment");
    expect(authorize).toMatchObject({
      data: { idempotencyKey: "order-1:authorize", amount: { amount: 2598 } },
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

  // The Reserved write carries the authorization: when it fails for good, nobody knows
  // whether the authorization went out, so the void (a no-op for one that never did) runs.
  it("voids a possibly sent authorization and releases the stock when the Reserved write fails", () => {
    const saga = sagaWhereFails(statusWrite("InventoryReserved"));
    expect(saga.done).toBe(true);
    expect(saga.failure).toEqual(
      new Error(`${SAGA_ACTIVITIES.updateOrderStatus} failed after its retries`),
    );
    expect(saga.commandTypes()).toEqual(["ReserveInventory", "VoidPayment", "ReleaseInventory"]);
  });

  // Likewise the Authorized write carries the capture, so its undo is the refund (which the
  // payment participant turns into a void when nothing was captured).
  it("refunds a possibly sent capture, then releases, when the Authorized write fails", () => {
    const saga = sagaWhereFails(statusWrite("PaymentAuthorized"));
    expect(saga.failure).toBeInstanceOf(Error);
    expect(saga.commandTypes()).toEqual([
      "ReserveInventory",
      "AuthorizePayment",
      "RefundPayment",
      "ReleaseInventory",
    ]);
  });

  it("refunds and releases when the saga fails during capture, before Confirmed", () => {
    const saga = sagaWhereFails(statusWrite("Confirmed"));
    expect(saga.failure).toBeInstanceOf(Error);
    expect(saga.commandTypes().slice(-2)).toEqual(["RefundPayment", "ReleaseInventory"]);
  });

  it("keeps a Confirmed order's stock and money when an error ends the saga after it", () => {
    const saga = sagaWhereFails((name) => name === SAGA_ACTIVITIES.publishEvent);
    expect(saga.failure).toBeInstanceOf(Error);
    expect(saga.statuses()).toEqual(["InventoryReserved", "PaymentAuthorized", "Confirmed"]);
    expect(saga.commandTypes()).not.toContain("RefundPayment");
    expect(saga.commandTypes()).not.toContain("ReleaseInventory");
  });
});
