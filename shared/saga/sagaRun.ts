import type * as df from "durable-functions";
import { sagaGoesOn, type SendCommandInput, type UpdateOrderStatusOutput } from "./activityMap";
import { CompensationStack } from "./compensationStack";
import { episodeTraceparent } from "../telemetry/traceparent";
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
  SagaTrace,
} from "./sagaTypes";
import type { SagaGenerator } from "./sagaTasks";
import {
  SagaEventWaits,
  awaitReplies,
  callSagaActivity,
  cancelReason,
  sagaActivity,
} from "./sagaTasks";
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
  /** Whether the order is recorded Confirmed: from then on its stock and money are its own. */
  confirmed = false;

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
    yield* callSagaActivity(
      this.context,
      SAGA_ACTIVITIES.sendCommand,
      this.sendInput(command, attempt, step),
    );
  }

  private sendInput(command: SagaCommand, attempt: number, step?: SagaStepLog): SendCommandInput {
    return {
      command,
      attempt,
      trace: this.activityTrace(),
      at: this.nowIso(),
      ...(step ? { step } : {}),
    };
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

  /**
   * Writes the order's status; `then` are the next step's commands, sent by the same activity
   * once the status holds (see `UpdateOrderStatusInput.then`).
   */
  *setStatus(
    status: SagaOrderStatus,
    failureReason: SagaFailureReason | null,
    step: string,
    outcome: string,
    then: readonly SagaCommand[] = [],
  ): SagaGenerator<UpdateOrderStatusOutput> {
    return yield* callSagaActivity(this.context, SAGA_ACTIVITIES.updateOrderStatus, {
      orderId: this.input.orderId,
      customerId: this.input.customerId,
      status,
      failureReason,
      at: this.nowIso(),
      trace: this.activityTrace(),
      step: this.stepLog(step, outcome),
      ...(then.length > 0 ? { then } : {}),
    });
  }

  /**
   * Records a happy-path status, and sends the next step's commands with it. The Order API
   * moves an order to Cancelling itself when a cancel is accepted, so a refused move that
   * finds Cancelling means: cancel now (nothing of `then` was sent), without announcing a
   * stage the customer has already cancelled.
   */
  *advance(
    status: SagaOrderStatus,
    step: string,
    outcome: string,
    then: readonly SagaCommand[] = [],
  ): SagaGenerator<CancelReason | undefined> {
    const result = yield* this.setStatus(status, null, step, outcome, then);
    if (sagaGoesOn(result)) return undefined;
    return cancelReason({ reason: result.failureReason });
  }

  /**
   * Publishes the lifecycle event and asks for the customer's email. Neither needs the
   * other, so both are scheduled in one episode. They stay apart from the status write: an
   * announcement that fails for good must not read as a status that was never written.
   */
  *announce(
    template: "Confirmed" | "Cancelled" | "Failed" | "Shipped" | "Delivered",
    event: SagaLifecycleEvent,
  ): SagaGenerator<void> {
    const notification: SagaCommand = {
      type: "SendNotification",
      data: notificationFor(template, this.input, event, this.paymentHeld),
    };
    yield this.context.df.Task.all([
      sagaActivity(this.context, SAGA_ACTIVITIES.publishEvent, {
        event,
        at: this.nowIso(),
        trace: this.activityTrace(),
      }),
      sagaActivity(this.context, SAGA_ACTIVITIES.sendCommand, this.sendInput(notification, 1)),
    ]);
  }

  result(status: SagaOrderStatus, failureReason: SagaFailureReason | null): SagaResult {
    // The custom status is what operators see first; a finished saga should not keep
    // naming the step it last waited in.
    this.context.df.setCustomStatus({ step: "Done", status, failureReason });
    return { orderId: this.input.orderId, status, failureReason };
  }

  /**
   * The saga's trace as an activity gets it: its traceparent names the episode that schedules
   * the activity, computed from history time alone, so a replay passes the same input.
   */
  private activityTrace(): SagaTrace {
    const { trace } = this.input;
    const traceparent = episodeTraceparent(
      trace.traceparent,
      this.context.df.instanceId,
      this.nowMs(),
    );
    return traceparent === undefined ? trace : { ...trace, traceparent };
  }

  private nowMs(): number {
    return this.context.df.currentUtcDateTime.getTime();
  }

  private nowIso(): string {
    return this.context.df.currentUtcDateTime.toISOString();
  }
}
