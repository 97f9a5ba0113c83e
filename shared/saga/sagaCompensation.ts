import { sagaGoesOn } from "./activityMap";
import type { SagaRun } from "./sagaRun";
import type { CancelReason, FailureReason, SagaResult, SagaStepLog } from "./sagaTypes";
import type { SagaGenerator } from "./sagaTasks";
import { cancelReason } from "./sagaTasks";

/**
 * How a saga ends when it cannot go on: it runs the compensation stack, newest undo first,
 * then ends the order Cancelled (someone asked) or Failed (a step could not be done) and
 * notifies the customer. Every undo is sent until answered and is idempotent at its
 * participant, so undoing a step that never took effect is a no-op.
 */
export function* cancelSaga(
  run: SagaRun,
  reason: CancelReason,
  step: string,
): SagaGenerator<SagaResult> {
  yield* run.setStatus("Cancelling", reason, step, "CancelRequested");
  run.beginStep("Compensate");
  yield* compensate(run);
  return yield* endCancelled(run, reason);
}

export function* failSaga(
  run: SagaRun,
  reason: FailureReason,
  step: string,
): SagaGenerator<SagaResult> {
  // The failed step's log line rides on the first compensation command (no status change).
  const failed = run.stepLog(step, reason);
  run.beginStep("Compensate");
  yield* compensate(run, failed);
  const { orderId, customerId } = run.input;
  const final = yield* run.setStatus("Failed", reason, "Compensate", "Failed");
  if (!sagaGoesOn(final)) {
    // A cancel was accepted while the step failed; Cancelling ends only in Cancelled, and
    // the compensation just run is the same either way.
    return yield* endCancelled(run, cancelReason({ reason: final.failureReason }));
  }
  yield* run.announce("Failed", { type: "OrderFailed", data: { orderId, customerId, reason } });
  return run.result("Failed", reason);
}

function* endCancelled(run: SagaRun, reason: CancelReason): SagaGenerator<SagaResult> {
  const { orderId, customerId } = run.input;
  yield* run.setStatus("Cancelled", reason, "Compensate", "Cancelled");
  yield* run.announce("Cancelled", {
    type: "OrderCancelled",
    data: { orderId, customerId, reason },
  });
  return run.result("Cancelled", reason);
}

/**
 * After an error that ends the orchestration: runs every undo, unless the order was already
 * recorded Confirmed (its committed stock and captured payment are then the order's, and a
 * refund would contradict its status; an operator sees the failed instance). An undo that
 * fails too leaves the original error to end the orchestration.
 */
export function* compensateAfterError(run: SagaRun): SagaGenerator<void> {
  if (run.confirmed) return;
  run.beginStep("Compensate");
  try {
    yield* compensate(run);
  } catch {
    return;
  }
}

/** Runs every undo, newest first. */
function* compensate(run: SagaRun, stepLog?: SagaStepLog): SagaGenerator<void> {
  let pendingLog = stepLog;
  for (const undo of run.compensation.inRunOrder()) {
    run.setCustomStatus(`Compensate:${undo.command.type}`);
    yield* run.sendUntilReplied(undo.command, undo.replies, undo.timeoutSeconds, pendingLog);
    pendingLog = undefined;
  }
}
