import type * as df from "durable-functions";
import { paymentIdempotencyKey } from "../contracts/messages/payloads";
import type { UpdateOrderStatusOutput } from "./activityMap";
import { CompensationStack } from "./compensationStack";
import { SAGA_ACTIVITIES, SAGA_REPLIES, SAGA_REQUESTS } from "./names";
import { UNREFUSABLE_COMMAND_MAX_SENDS } from "./retryPolicies";
import { parseSagaInput } from "./sagaInput";
import type {
  CancelReason,
  FailureReason,
  SagaCommand,
  SagaFailureReason,
  SagaInput,
  SagaLifecycleEvent,
  SagaOrderStatus,
  SagaResult,
  SagaStepLog,
} from "./sagaTypes";
import type { SagaGenerator } from "./sagaTasks";
import {
  SagaEventWaits,
  awaitReplies,
  awaitRequest,
  callSagaActivity,
  cancelReason,
} from "./sagaTasks";
import { notificationFor } from "./sagaNotifications";

/**
 * The order saga: reserve inventory → authorize payment → capture + commit → Confirmed →
 * (ship | cancel) → delivered. Orchestration only: every side effect is an activity, every
 * wait a durable event raced against a durable timer and the customer's cancel. A decline,
 * a timeout or a cancel runs the compensation stack, newest undo first, then ends the order
 * Cancelled or Failed and notifies the customer.
 */
export function* orderSaga(context: df.OrchestrationContext): SagaGenerator<SagaResult> {
  const saga = new SagaRun(context, parseSagaInput(context.df.getInput()));
  return yield* saga.run();
}

class SagaRun {
  private readonly compensation = new CompensationStack();
  private readonly events: SagaEventWaits;
  private stepStartedAt: number;
  /** Whether the card holds (or was charged) the total: decides the refund an email shows. */
  private paymentHeld = false;

  constructor(
    private readonly context: df.OrchestrationContext,
    private readonly input: SagaInput,
  ) {
    this.stepStartedAt = this.nowMs();
    this.events = new SagaEventWaits(context);
  }

  *run(): SagaGenerator<SagaResult> {
    const { orderId, customerId, items, total, timeouts } = this.input;

    this.beginStep("ReserveInventory");
    this.compensation.push({
      slot: "inventory",
      command: { type: "ReleaseInventory", data: { orderId } },
      replies: [SAGA_REPLIES.inventoryReleased],
      timeoutSeconds: timeouts.inventorySeconds,
    });
    const lines = items.map(({ sku, quantity }) => ({ sku, quantity }));
    yield* this.send({ type: "ReserveInventory", data: { orderId, lines } });
    const reserved = yield* awaitReplies(this.context, this.events, {
      anyOf: [SAGA_REPLIES.inventoryReserved, SAGA_REPLIES.inventoryRejected],
      timeoutSeconds: timeouts.inventorySeconds,
      cancellable: true,
    });
    if (reserved.kind === "cancel") return yield* this.cancel(reserved.reason, "ReserveInventory");
    if (reserved.kind === "timeout")
      return yield* this.fail("InventoryTimeout", "ReserveInventory");
    if (reserved.reply === SAGA_REPLIES.inventoryRejected) {
      return yield* this.fail("OutOfStock", "ReserveInventory");
    }
    const afterReserve = yield* this.advance("InventoryReserved", "ReserveInventory", "Reserved");
    if (afterReserve) return yield* this.cancel(afterReserve, "ReserveInventory");

    this.beginStep("AuthorizePayment");
    this.compensation.push({
      slot: "payment",
      command: {
        type: "VoidPayment",
        data: { orderId, idempotencyKey: paymentIdempotencyKey(orderId, "void"), amount: total },
      },
      replies: [SAGA_REPLIES.paymentVoided, SAGA_REPLIES.paymentRefunded],
      timeoutSeconds: timeouts.paymentSeconds,
    });
    yield* this.send({
      type: "AuthorizePayment",
      data: { orderId, idempotencyKey: paymentIdempotencyKey(orderId, "authorize"), amount: total },
    });
    const authorized = yield* awaitReplies(this.context, this.events, {
      anyOf: [SAGA_REPLIES.paymentAuthorized, SAGA_REPLIES.paymentDeclined],
      timeoutSeconds: timeouts.paymentSeconds,
      cancellable: true,
    });
    if (authorized.kind === "cancel")
      return yield* this.cancel(authorized.reason, "AuthorizePayment");
    if (authorized.kind === "timeout")
      return yield* this.fail("PaymentTimeout", "AuthorizePayment");
    if (authorized.reply === SAGA_REPLIES.paymentDeclined) {
      return yield* this.fail("PaymentDeclined", "AuthorizePayment");
    }
    this.paymentHeld = true;
    const afterAuthorize = yield* this.advance(
      "PaymentAuthorized",
      "AuthorizePayment",
      "Authorized",
    );
    if (afterAuthorize) return yield* this.cancel(afterAuthorize, "AuthorizePayment");

    this.beginStep("CapturePayment");
    // From here a capture may exist, so the payment's undo becomes a refund (the payment
    // participant voids instead when it finds the authorization never captured).
    this.compensation.push({
      slot: "payment",
      command: {
        type: "RefundPayment",
        data: { orderId, idempotencyKey: paymentIdempotencyKey(orderId, "refund"), amount: total },
      },
      replies: [SAGA_REPLIES.paymentRefunded, SAGA_REPLIES.paymentVoided],
      timeoutSeconds: timeouts.paymentSeconds,
    });
    yield* this.send({
      type: "CapturePayment",
      data: { orderId, idempotencyKey: paymentIdempotencyKey(orderId, "capture"), amount: total },
    });
    yield* this.send({ type: "CommitInventory", data: { orderId } });
    const captured = yield* awaitReplies(this.context, this.events, {
      allOf: [SAGA_REPLIES.paymentCaptured, SAGA_REPLIES.inventoryCommitted],
      timeoutSeconds: Math.max(timeouts.paymentSeconds, timeouts.inventorySeconds),
      cancellable: true,
    });
    if (captured.kind === "cancel") return yield* this.cancel(captured.reason, "CapturePayment");
    if (captured.kind === "timeout") {
      // Name the participant that did not answer: a captured payment with an uncommitted
      // stock is an inventory timeout, not a payment one.
      const reason = captured.missing.includes(SAGA_REPLIES.paymentCaptured)
        ? "PaymentTimeout"
        : "InventoryTimeout";
      return yield* this.fail(reason, "CapturePayment");
    }
    const afterCapture = yield* this.advance("Confirmed", "CapturePayment", "Captured");
    if (afterCapture) return yield* this.cancel(afterCapture, "CapturePayment");
    yield* this.announce("Confirmed", {
      type: "OrderConfirmed",
      data: { orderId, customerId, total },
    });

    this.beginStep("AwaitingShipment");
    const request = yield* awaitRequest(this.context, this.events, [
      SAGA_REQUESTS.ship,
      SAGA_REQUESTS.cancel,
    ]);
    if (request.name === SAGA_REQUESTS.cancel) {
      return yield* this.cancel(cancelReason(request.data), "AwaitingShipment");
    }
    // A cancel the API accepted (order Cancelling) before this ship request was taken wins:
    // the customer was told 202, and nothing has left yet.
    const beforeShip = yield* this.advance("Shipped", "AwaitingShipment", "Shipped");
    if (beforeShip) return yield* this.cancel(beforeShip, "AwaitingShipment");
    // Shipped: nothing is undone any more. The goods have left, so their committed units
    // leave on-hand stock; a silent inventory is asked again, never compensated.
    this.beginStep("ShipInventory");
    yield* this.sendUntilReplied(
      { type: "ShipInventory", data: { orderId } },
      [SAGA_REPLIES.inventoryShipped],
      timeouts.inventorySeconds,
    );
    yield* this.announce("Shipped", { type: "OrderShipped", data: { orderId, customerId } });

    this.beginStep("AwaitingDelivery");
    yield* awaitRequest(this.context, this.events, [SAGA_REQUESTS.deliver]);
    yield* this.setStatus("Delivered", null, "Deliver", "Delivered");
    yield* this.announce("Delivered", { type: "OrderDelivered", data: { orderId, customerId } });
    return this.result("Delivered", null);
  }

  private *cancel(reason: CancelReason, step: string): SagaGenerator<SagaResult> {
    yield* this.setStatus("Cancelling", reason, step, "CancelRequested");
    this.beginStep("Compensate");
    yield* this.compensate();
    return yield* this.cancelled(reason);
  }

  private *cancelled(reason: CancelReason): SagaGenerator<SagaResult> {
    const { orderId, customerId } = this.input;
    yield* this.setStatus("Cancelled", reason, "Compensate", "Cancelled");
    yield* this.announce("Cancelled", {
      type: "OrderCancelled",
      data: { orderId, customerId, reason },
    });
    return this.result("Cancelled", reason);
  }

  private *fail(reason: FailureReason, step: string): SagaGenerator<SagaResult> {
    // The failed step's log line rides on the first compensation command (no status change).
    const failed: SagaStepLog = {
      step,
      outcome: reason,
      durationMs: this.nowMs() - this.stepStartedAt,
    };
    this.beginStep("Compensate");
    yield* this.compensate(failed);
    const { orderId, customerId } = this.input;
    const final = yield* this.setStatus("Failed", reason, "Compensate", "Failed");
    if (!final.applied && final.status === "Cancelling") {
      // A cancel was accepted while the step failed; Cancelling ends only in Cancelled, and
      // the compensation just run is the same either way.
      return yield* this.cancelled(cancelReason({ reason: final.failureReason }));
    }
    yield* this.announce("Failed", { type: "OrderFailed", data: { orderId, customerId, reason } });
    return this.result("Failed", reason);
  }

  /** Runs every undo, newest first. */
  private *compensate(stepLog?: SagaStepLog): SagaGenerator<void> {
    let pendingLog = stepLog;
    for (const undo of this.compensation.inRunOrder()) {
      this.setCustomStatus(`Compensate:${undo.command.type}`);
      yield* this.sendUntilReplied(undo.command, undo.replies, undo.timeoutSeconds, pendingLog);
      pendingLog = undefined;
    }
  }

  /**
   * Sends a command that cannot be refused or undone (an undo, a shipment) and waits for its
   * reply; a missing reply re-sends it (new message id) a few times, then the saga moves on
   * and the command stays queued or dead-lettered for an operator.
   */
  private *sendUntilReplied(
    command: SagaCommand,
    replies: readonly string[],
    timeoutSeconds: number,
    stepLog?: SagaStepLog,
  ): SagaGenerator<void> {
    for (let attempt = 1; attempt <= UNREFUSABLE_COMMAND_MAX_SENDS; attempt++) {
      yield* this.send(command, attempt, attempt === 1 ? stepLog : undefined);
      const outcome = yield* awaitReplies(this.context, this.events, {
        anyOf: replies,
        timeoutSeconds,
        cancellable: false,
      });
      if (outcome.kind === "reply") return;
    }
  }

  /**
   * Records a happy-path status. The Order API moves an order to Cancelling itself when a
   * cancel is accepted, so a refused move that finds Cancelling means: cancel now, without
   * announcing a stage the customer has already cancelled.
   */
  private *advance(
    status: SagaOrderStatus,
    step: string,
    outcome: string,
  ): SagaGenerator<CancelReason | undefined> {
    const result = yield* this.setStatus(status, null, step, outcome);
    if (result.applied || result.status !== "Cancelling") return undefined;
    return cancelReason({ reason: result.failureReason });
  }

  /** Publishes the lifecycle event, then asks for the customer's email. */
  private *announce(
    template: "Confirmed" | "Cancelled" | "Failed" | "Shipped" | "Delivered",
    event: SagaLifecycleEvent,
  ): SagaGenerator<void> {
    yield* callSagaActivity(this.context, SAGA_ACTIVITIES.publishEvent, {
      event,
      at: this.nowIso(),
      trace: this.input.trace,
    });
    yield* this.send({
      type: "SendNotification",
      data: notificationFor(template, this.input, event, this.paymentHeld),
    });
  }

  private *setStatus(
    status: SagaOrderStatus,
    failureReason: SagaFailureReason | null,
    step: string,
    outcome: string,
  ): SagaGenerator<UpdateOrderStatusOutput> {
    return yield* callSagaActivity(this.context, SAGA_ACTIVITIES.updateOrderStatus, {
      orderId: this.input.orderId,
      customerId: this.input.customerId,
      status,
      failureReason,
      at: this.nowIso(),
      trace: this.input.trace,
      step: { step, outcome, durationMs: this.nowMs() - this.stepStartedAt },
    });
  }

  private *send(command: SagaCommand, attempt = 1, step?: SagaStepLog): SagaGenerator<void> {
    yield* callSagaActivity(this.context, SAGA_ACTIVITIES.sendCommand, {
      command,
      attempt,
      trace: this.input.trace,
      at: this.nowIso(),
      ...(step ? { step } : {}),
    });
  }

  private beginStep(step: string): void {
    this.stepStartedAt = this.nowMs();
    this.setCustomStatus(step);
  }

  private setCustomStatus(step: string): void {
    this.context.df.setCustomStatus({ step });
  }

  private result(status: SagaOrderStatus, failureReason: SagaFailureReason | null): SagaResult {
    // The custom status is what operators see first; a finished saga should not keep
    // naming the step it last waited in.
    this.context.df.setCustomStatus({ step: "Done", status, failureReason });
    return { orderId: this.input.orderId, status, failureReason };
  }

  private nowMs(): number {
    return this.context.df.currentUtcDateTime.getTime();
  }

  private nowIso(): string {
    return this.context.df.currentUtcDateTime.toISOString();
  }
}
