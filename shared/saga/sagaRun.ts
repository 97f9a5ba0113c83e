import type * as df from "durable-functions";
import type { UpdateOrderStatusOutput } from "./activityMap";
import { CompensationStack } from "./compensationStack";
import { SAGA_ACTIVITIES } from "./names";
import { UNREFUSABLE_COMMAND_MAX_SENDS } from "./retryPolicies";
import type {
  CancelReason,
  SagaCommand,
  SagaFailureReason,
  SagaInput,
  SagaLifecycleEvent,
  SagaOrderStatus,
  SagaResult,
  SagaStepLog,
} from "./sagaTypes";
import type { SagaGenerator } from "./sagaTasks";
import { SagaEventWaits, awaitReplies, callSagaActivity, cancelReason } from "./sagaTasks";
import { notificationFor } from "./sagaNotifications";

/**
 * One run of the order saga: its input, its compensation stack, its event waits, and the
 * moves every step is made of (send a command, record a status, announce a stage). Time is
 * the orchestration's (`currentUtcDateTime`), so a replay computes the same step durations.
 */
export class SagaRun {
  readonly compensation = new CompensationStack();
  readonly events: SagaEventWaits;
  private stepStartedAt: number;
  /** Whether the card holds (or was charged) the total: decides the refund an email shows. */
  paymentHeld = false;

  constructor(
    readonly context: df.OrchestrationContext,
    readonly input: SagaInput,
  ) {
    this.stepStartedAt = this.nowMs();
    this.events = new SagaEventWaits(context);
  }

  beginStep(step: string): void {
    this.stepStartedAt = this.nowMs();
    this.setCustomStatus(step);
  }

  setCustomStatus(step: string): void {
    this.context.df.setCustomStatus({ step });
  }

  /** The current step's log line with the given outcome, timed from its start. */
  stepLog(step: string, outcome: string): SagaStepLog {
    return { step, outcome, durationMs: this.nowMs() - this.stepStartedAt };
  }

  *send(command: SagaCommand, attempt = 1, step?: SagaStepLog): SagaGenerator<void> {
    yield* callSagaActivity(this.context, SAGA_ACTIVITIES.sendCommand, {
      command,
      attempt,
      trace: this.input.trace,
      at: this.nowIso(),
      ...(step ? { step } : {}),
    });
  }

  /**
   * Sends a command that cannot be refused or undone (an undo, a shipment) and waits for its
   * reply; a missing reply re-sends it (new message id) a few times, then the saga moves on
   * and the command stays queued or dead-lettered for an operator.
   */
  *sendUntilReplied(
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

  *setStatus(
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
      step: this.stepLog(step, outcome),
    });
  }

  /**
   * Records a happy-path status. The Order API moves an order to Cancelling itself when a
   * cancel is accepted, so a refused move that finds Cancelling means: cancel now, without
   * announcing a stage the customer has already cancelled.
   */
  *advance(
    status: SagaOrderStatus,
    step: string,
    outcome: string,
  ): SagaGenerator<CancelReason | undefined> {
    const result = yield* this.setStatus(status, null, step, outcome);
    if (result.applied || result.status !== "Cancelling") return undefined;
    return cancelReason({ reason: result.failureReason });
  }

  /** Publishes the lifecycle event, then asks for the customer's email. */
  *announce(
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

  result(status: SagaOrderStatus, failureReason: SagaFailureReason | null): SagaResult {
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
