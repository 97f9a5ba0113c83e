import type * as df from "durable-functions";
import type { SagaActivityInput, SagaActivityMap, SagaActivityOutput } from "./activityMap";
import { SAGA_ACTIVITIES, SAGA_REQUESTS } from "./names";
import { SAGA_RETRY_POLICIES } from "./retryPolicies";
import type { CancelReason } from "./sagaTypes";

/**
 * The orchestrator's building blocks over `context.df`: a typed activity call and the race of
 * a step's replies against its durable timer and the customer's cancel. Everything here is
 * deterministic: time comes from `currentUtcDateTime`, nothing else is read.
 */
export type SagaGenerator<T> = Generator<df.Task, T, unknown>;

const POLICY: Record<keyof SagaActivityMap, df.RetryOptions> = {
  [SAGA_ACTIVITIES.sendCommand]: SAGA_RETRY_POLICIES.messaging,
  [SAGA_ACTIVITIES.publishEvent]: SAGA_RETRY_POLICIES.messaging,
  [SAGA_ACTIVITIES.updateOrderStatus]: SAGA_RETRY_POLICIES.orderStatus,
};

export function* callSagaActivity<K extends keyof SagaActivityMap>(
  context: df.OrchestrationContext,
  name: K,
  input: SagaActivityInput<K>,
): SagaGenerator<SagaActivityOutput<K>> {
  const output = yield context.df.callActivityWithRetry(name, POLICY[name], input);
  return output as SagaActivityOutput<K>;
}

export type StepOutcome<R extends string> =
  | { readonly kind: "reply"; readonly reply: R; readonly data: unknown }
  | { readonly kind: "cancel"; readonly reason: CancelReason }
  | { readonly kind: "timeout" };

export interface AwaitRepliesOptions<R extends string> {
  /** Any one of these ends the step (e.g. Reserved or Rejected). */
  readonly anyOf?: readonly R[];
  /** All of these end the step together (e.g. Captured and Committed). */
  readonly allOf?: readonly R[];
  readonly timeoutSeconds: number;
  /** Whether CancelRequested ends the step; compensation is not cancellable. */
  readonly cancellable: boolean;
}

export function* awaitReplies<R extends string>(
  context: df.OrchestrationContext,
  options: AwaitRepliesOptions<R>,
): SagaGenerator<StepOutcome<R>> {
  const { df: d } = context;
  const anyOf = (options.anyOf ?? []).map((name) => ({ name, task: d.waitForExternalEvent(name) }));
  const allOf = (options.allOf ?? []).map((name) => ({ name, task: d.waitForExternalEvent(name) }));
  const all = allOf.length > 0 ? d.Task.all(allOf.map((a) => a.task)) : undefined;
  const cancel = options.cancellable ? d.waitForExternalEvent(SAGA_REQUESTS.cancel) : undefined;
  const deadline = new Date(d.currentUtcDateTime.getTime() + options.timeoutSeconds * 1000);
  const timer = d.createTimer(deadline);
  const contenders: df.Task[] = [...anyOf.map((a) => a.task), timer];
  if (all) contenders.push(all);
  if (cancel) contenders.push(cancel);

  const winner = yield d.Task.any(contenders);
  // A pending timer keeps the instance alive until it fires; cancel it as soon as it lost.
  if (winner !== timer) timer.cancel();
  if (winner === timer) return { kind: "timeout" };
  if (cancel && winner === cancel) return { kind: "cancel", reason: cancelReason(cancel.result) };
  if (all && winner === all) {
    const last = allOf[allOf.length - 1] as { name: R; task: df.Task };
    return { kind: "reply", reply: last.name, data: all.result };
  }
  const hit = anyOf.find((a) => a.task === winner);
  if (!hit) throw new Error("Task.any returned a task the saga did not start");
  return { kind: "reply", reply: hit.name, data: hit.task.result };
}

/** Waits for a request event with no deadline (ship or cancel after Confirmed). */
export function* awaitRequest<R extends string>(
  context: df.OrchestrationContext,
  names: readonly R[],
): SagaGenerator<{ readonly name: R; readonly data: unknown }> {
  const waits = names.map((name) => ({ name, task: context.df.waitForExternalEvent(name) }));
  const winner = yield context.df.Task.any(waits.map((w) => w.task));
  const hit = waits.find((w) => w.task === winner);
  if (!hit) throw new Error("Task.any returned a task the saga did not start");
  return { name: hit.name, data: hit.task.result };
}

/** The cancel event's body names who cancelled; anything else counts as the customer. */
export function cancelReason(data: unknown): CancelReason {
  if (typeof data === "object" && data !== null && "reason" in data) {
    if (data.reason === "CancelledByOperator") return "CancelledByOperator";
  }
  return "CancelledByCustomer";
}
