import type * as df from "durable-functions";
import { paymentIdempotencyKey, type PaymentOperation } from "../contracts/messages/payloads";
import { SAGA_REPLIES, SAGA_REQUESTS } from "./names";
import type { CompensationStep } from "./compensationStack";
import { cancelSaga, compensateAfterError, failSaga } from "./sagaCompensation";
import { parseSagaInput } from "./sagaInput";
import { SagaRun } from "./sagaRun";
import type { SagaReplyType } from "./names";
import type { FailureReason, SagaCommand, SagaOrderStatus, SagaResult } from "./sagaTypes";
import type { SagaGenerator } from "./sagaTasks";
import { awaitReplies, awaitRequest, cancelReason } from "./sagaTasks";

/**
 * The order saga: reserve inventory → authorize payment → capture + commit → Confirmed →
 * (ship | cancel) → delivered. Orchestration only: every side effect is an activity, every
 * wait a durable event raced against a durable timer and the customer's cancel. A decline,
 * a timeout or a cancel runs the compensation stack, newest undo first, then ends the order
 * Cancelled or Failed and notifies the customer (sagaCompensation.ts).
 */
export function* orderSaga(context: df.OrchestrationContext): SagaGenerator<SagaResult> {
  const run = new SagaRun(context, parseSagaInput(context.df.getInput()));
  try {
    for (const step of [reserveInventory, authorizePayment, capturePayment, ship]) {
      const ended = yield* step(run);
      if (ended) return ended;
    }
    return yield* deliver(run);
  } catch (error) {
    // An activity that failed for good (a status write for an order that is gone, a store
    // down past every retry) ends the orchestration Failed. What the saga took is given
    // back first, so nothing stays held for an order no saga drives any more.
    yield* compensateAfterError(run);
    throw error;
  }
}

/** A step either ends the saga (its result) or hands on to the next (undefined). */
type SagaStep = SagaGenerator<SagaResult | undefined>;

function* reserveInventory(run: SagaRun): SagaStep {
  const { orderId, items, timeouts } = run.input;
  run.beginStep("ReserveInventory");
  run.compensation.push({
    slot: "inventory",
    command: { type: "ReleaseInventory", data: { orderId } },
    replies: [SAGA_REPLIES.inventoryReleased],
    timeoutSeconds: timeouts.inventorySeconds,
  });
  const lines = items.map(({ sku, quantity }) => ({ sku, quantity }));
  yield* run.send({ type: "ReserveInventory", data: { orderId, lines } });
  const ended = yield* awaitAccepted(run, {
    step: "ReserveInventory",
    accepted: SAGA_REPLIES.inventoryReserved,
    refused: SAGA_REPLIES.inventoryRejected,
    refusedAs: "OutOfStock",
    timedOutAs: "InventoryTimeout",
    timeoutSeconds: timeouts.inventorySeconds,
  });
  if (ended) return ended;
  // The authorization goes out with the Reserved status, in one activity.
  return yield* advanceOrCancel(run, "InventoryReserved", "ReserveInventory", "Reserved", {
    commands: [paymentCommand(run, "AuthorizePayment")],
    undo: paymentUndo(run, "VoidPayment", [
      SAGA_REPLIES.paymentVoided,
      SAGA_REPLIES.paymentRefunded,
    ]),
  });
}

/** Waits for the authorization the Reserved status write sent. */
function* authorizePayment(run: SagaRun): SagaStep {
  const { orderId, timeouts } = run.input;
  run.beginStep("AuthorizePayment");
  const ended = yield* awaitAccepted(run, {
    step: "AuthorizePayment",
    accepted: SAGA_REPLIES.paymentAuthorized,
    refused: SAGA_REPLIES.paymentDeclined,
    refusedAs: "PaymentDeclined",
    timedOutAs: "PaymentTimeout",
    timeoutSeconds: timeouts.paymentSeconds,
  });
  if (ended) return ended;
  run.paymentHeld = true;
  // Capture and commit go out together with the Authorized status. From here a capture may
  // exist, so the payment's undo becomes a refund (the payment participant voids instead
  // when it finds the authorization never captured).
  return yield* advanceOrCancel(run, "PaymentAuthorized", "AuthorizePayment", "Authorized", {
    commands: [
      paymentCommand(run, "CapturePayment"),
      { type: "CommitInventory", data: { orderId } },
    ],
    undo: paymentUndo(run, "RefundPayment", [
      SAGA_REPLIES.paymentRefunded,
      SAGA_REPLIES.paymentVoided,
    ]),
  });
}

/** Waits for the capture and the stock commit together; then the order is Confirmed. */
function* capturePayment(run: SagaRun): SagaStep {
  const { orderId, customerId, total, timeouts } = run.input;
  run.beginStep("CapturePayment");
  const captured = yield* awaitReplies(run.context, run.events, {
    allOf: [SAGA_REPLIES.paymentCaptured, SAGA_REPLIES.inventoryCommitted],
    timeoutSeconds: Math.max(timeouts.paymentSeconds, timeouts.inventorySeconds),
    cancellable: true,
  });
  if (captured.kind === "cancel") return yield* cancelSaga(run, captured.reason, "CapturePayment");
  if (captured.kind === "timeout") {
    // Name the participant that did not answer: a captured payment with an uncommitted
    // stock is an inventory timeout, not a payment one.
    const reason = captured.missing.includes(SAGA_REPLIES.paymentCaptured)
      ? "PaymentTimeout"
      : "InventoryTimeout";
    return yield* failSaga(run, reason, "CapturePayment");
  }
  const cancelled = yield* advanceOrCancel(run, "Confirmed", "CapturePayment", "Captured");
  if (cancelled) return cancelled;
  run.confirmed = true;
  yield* run.announce("Confirmed", {
    type: "OrderConfirmed",
    data: { orderId, customerId, total },
  });
  return undefined;
}

/** The payment's undo; a later one replaces an earlier in its slot (void → refund). */
function paymentUndo(
  run: SagaRun,
  type: "VoidPayment" | "RefundPayment",
  replies: readonly SagaReplyType[],
): CompensationStep {
  return {
    slot: "payment",
    command: paymentCommand(run, type),
    replies,
    timeoutSeconds: run.input.timeouts.paymentSeconds,
  };
}

/** Waits for the operator's ship (or the customer's cancel), then retires the stock. */
function* ship(run: SagaRun): SagaStep {
  const { orderId, customerId, timeouts } = run.input;
  run.beginStep("AwaitingShipment");
  const request = yield* awaitRequest(run.context, run.events, [
    SAGA_REQUESTS.ship,
    SAGA_REQUESTS.cancel,
  ]);
  if (request.name === SAGA_REQUESTS.cancel) {
    return yield* cancelSaga(run, cancelReason(request.data), "AwaitingShipment");
  }
  // A cancel the API accepted (order Cancelling) before this ship request was taken wins:
  // the customer was told 202, and nothing has left yet.
  const cancelled = yield* advanceOrCancel(run, "Shipped", "AwaitingShipment", "Shipped");
  if (cancelled) return cancelled;
  // Shipped: nothing is undone any more. The goods have left, so their committed units
  // leave on-hand stock; a silent inventory is asked again, never compensated.
  run.beginStep("ShipInventory");
  yield* run.sendUntilReplied(
    { type: "ShipInventory", data: { orderId } },
    [SAGA_REPLIES.inventoryShipped],
    timeouts.inventorySeconds,
  );
  yield* run.announce("Shipped", { type: "OrderShipped", data: { orderId, customerId } });
  return undefined;
}

function* deliver(run: SagaRun): SagaGenerator<SagaResult> {
  const { orderId, customerId } = run.input;
  run.beginStep("AwaitingDelivery");
  yield* awaitRequest(run.context, run.events, [SAGA_REQUESTS.deliver]);
  yield* run.setStatus("Delivered", null, "Deliver", "Delivered");
  yield* run.announce("Delivered", { type: "OrderDelivered", data: { orderId, customerId } });
  return run.result("Delivered", null);
}

/** A request/reply step's replies, and the failure each non-acceptance means. */
interface StepReplies {
  readonly step: string;
  readonly accepted: SagaReplyType;
  readonly refused: SagaReplyType;
  readonly refusedAs: FailureReason;
  readonly timedOutAs: FailureReason;
  readonly timeoutSeconds: number;
}

/** Waits for the step's reply; a cancel, a timeout or a refusal ends the saga. */
function* awaitAccepted(run: SagaRun, replies: StepReplies): SagaStep {
  const outcome = yield* awaitReplies(run.context, run.events, {
    anyOf: [replies.accepted, replies.refused],
    timeoutSeconds: replies.timeoutSeconds,
    cancellable: true,
  });
  if (outcome.kind === "cancel") return yield* cancelSaga(run, outcome.reason, replies.step);
  if (outcome.kind === "timeout") return yield* failSaga(run, replies.timedOutAs, replies.step);
  if (outcome.reply === replies.refused)
    return yield* failSaga(run, replies.refusedAs, replies.step);
  return undefined;
}

/** The next step's commands, sent with a status write, and their undo. */
interface NextStep {
  readonly commands: readonly SagaCommand[];
  readonly undo: CompensationStep;
}

/**
 * Records the status a step reached, sending the next step's commands with it; a cancel the
 * API accepted meanwhile ends the saga. The next step's undo is registered before the write,
 * since its commands may take effect even if the write then fails for good; a write refused
 * because the order is Cancelling sent nothing, so that undo is dropped again.
 */
function* advanceOrCancel(
  run: SagaRun,
  status: SagaOrderStatus,
  step: string,
  outcome: string,
  next?: NextStep,
): SagaStep {
  const before = run.compensation.snapshot();
  if (next) run.compensation.push(next.undo);
  const cancelled = yield* run.advance(status, step, outcome, next?.commands);
  if (!cancelled) return undefined;
  run.compensation.restore(before);
  return yield* cancelSaga(run, cancelled, step);
}

const PAYMENT_OPERATIONS = {
  AuthorizePayment: "authorize",
  CapturePayment: "capture",
  VoidPayment: "void",
  RefundPayment: "refund",
} as const satisfies Record<string, PaymentOperation>;

/** A payment command for the order's total, keyed by the order and its operation. */
function paymentCommand(
  run: SagaRun,
  type: keyof typeof PAYMENT_OPERATIONS,
): Extract<SagaCommand, { type: keyof typeof PAYMENT_OPERATIONS }> {
  const { orderId, total } = run.input;
  const idempotencyKey = paymentIdempotencyKey(orderId, PAYMENT_OPERATIONS[type]);
  return { type, data: { orderId, idempotencyKey, amount: total } };
}
