import { orderSaga } from "./orderSaga";
import { SAGA_ACTIVITIES, SAGA_REPLIES, SAGA_REQUESTS } from "./names";
import type { SagaInput } from "./sagaTypes";
import { FakeOrchestration } from "./testing/fakeOrchestration";

type Replies = Partial<Record<string, string | null>>;

/** Default participant answers: every command succeeds. */
const HAPPY: Record<string, string> = {
  ReserveInventory: SAGA_REPLIES.inventoryReserved,
  AuthorizePayment: SAGA_REPLIES.paymentAuthorized,
  CapturePayment: SAGA_REPLIES.paymentCaptured,
  CommitInventory: SAGA_REPLIES.inventoryCommitted,
  ShipInventory: SAGA_REPLIES.inventoryShipped,
  ReleaseInventory: SAGA_REPLIES.inventoryReleased,
  VoidPayment: SAGA_REPLIES.paymentVoided,
  RefundPayment: SAGA_REPLIES.paymentRefunded,
};

function aSagaInput(overrides: Partial<SagaInput> = {}): SagaInput {
  return {
    orderId: "order-1",
    customerId: "cust-1",
    email: "ada@example.com",
    items: [
      {
        sku: "SKU-0001",
        name: "Teapot",
        quantity: 2,
        unitPrice: { amount: 1299, currency: "USD" },
        lineTotal: { amount: 2598, currency: "USD" },
      },
    ],
    total: { amount: 2598, currency: "USD" },
    trace: { orderId: "order-1", correlationId: "corr-1", causationId: "evt-1" },
    timeouts: { inventorySeconds: 15, paymentSeconds: 15 },
    ...overrides,
  };
}

/** Runs the saga; `replies` overrides a command's answer (null = never answers). */
function runSaga(
  replies: Replies = {},
  input = aSagaInput(),
  orderStatus: (status: string) => unknown = (status) => ({
    applied: true,
    status,
    failureReason: null,
  }),
): FakeOrchestration {
  const saga = new FakeOrchestration(input, (name, activityInput, fake) => {
    if (name === SAGA_ACTIVITIES.sendCommand) {
      const { command } = activityInput as { command: { type: string } };
      const reply = command.type in replies ? replies[command.type] : HAPPY[command.type];
      if (reply) fake.enqueue(reply, { orderId: input.orderId });
      return { messageId: "m" };
    }
    if (name === SAGA_ACTIVITIES.updateOrderStatus) {
      return orderStatus((activityInput as { status: string }).status);
    }
    return { messageId: "e" };
  });
  return saga.start(orderSaga);
}

function published(saga: FakeOrchestration): string[] {
  return saga.calls
    .filter((c) => c.name === SAGA_ACTIVITIES.publishEvent)
    .map((c) => (c.input as { event: { type: string } }).event.type);
}

function templates(saga: FakeOrchestration): string[] {
  return saga.calls
    .filter((c) => c.name === SAGA_ACTIVITIES.sendCommand)
    .map((c) => (c.input as { command: { type: string; data: { template?: string } } }).command)
    .filter((c) => c.type === "SendNotification")
    .map((c) => c.data.template as string);
}

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

  it("sets the timer deadline from orchestration time plus the step timeout", () => {
    const saga = runSaga({}, aSagaInput({ timeouts: { inventorySeconds: 7, paymentSeconds: 9 } }));
    const first = saga.timers[0]?.fireAt as Date;
    expect(first.getTime() - Date.parse("2026-01-01T00:00:00Z")).toBe(1000 + 7000);
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

  it("lets a ship request win over a later cancel (the cancel is not honoured once Shipped)", () => {
    const saga = runSaga().raise(SAGA_REQUESTS.ship).raise(SAGA_REQUESTS.cancel);
    expect(saga.done).toBe(false);
    expect(saga.statuses().at(-1)).toBe("Shipped");
    expect(saga.commandTypes()).not.toContain("RefundPayment");
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
