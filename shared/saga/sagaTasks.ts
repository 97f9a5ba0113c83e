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

/** The activity's task, for yielding alone or together with others (`Task.all`). */
export function sagaActivity<K extends keyof SagaActivityMap>(
  context: df.OrchestrationContext,
  name: K,
  input: SagaActivityInput<K>,
): df.Task {
  return context.df.callActivityWithRetry(name, POLICY[name], input);
}

export function* callSagaActivity<K extends keyof SagaActivityMap>(
  context: df.OrchestrationContext,
  name: K,
  input: SagaActivityInput<K>,
): SagaGenerator<SagaActivityOutput<K>> {
  const output = yield sagaActivity(context, name, input);
  return output as SagaActivityOutput<K>;
}

/**
 * The saga's waits for external events: one wait per event name, shared by every step until
 * a step takes its event. The durable-functions library hands an event to the newest open
 * wait of its name and never forgets a wait that lost a `Task.any`; with a fresh wait per
 * step, an event raised while the saga ran an activity (CancelRequested during the Confirmed
 * announcement, a compensation reply during its re-send) went to an earlier step's dead wait
 * and was lost. A shared wait catches it instead, and the next step that races that name
 * finds it already completed and takes it at once (a `Task.any` over a completed task would
 * never resolve, so it is not yielded).
 */
export class SagaEventWaits {
  private readonly open = new Map<string, df.Task>();

  constructor(private readonly context: df.OrchestrationContext) {}

  /** The wait for this event: the pending or arrived-but-untaken one, else a new one. */
  wait(name: string): df.Task {
    const existing = this.open.get(name);
    if (existing) return existing;
    const task = this.context.df.waitForExternalEvent(name);
    this.open.set(name, task);
    return task;
  }

  /** A step consumed this event; the next wait for its name waits for a new one. */
  take(name: string): void {
    this.open.delete(name);
  }
}

const arrived = (task: df.Task): boolean => task.isCompleted;

export type StepOutcome<R extends string> =
  | { readonly kind: "reply"; readonly reply: R; readonly data: unknown }
  | { readonly kind: "cancel"; readonly reason: CancelReason }
  /** `missing`: the awaited replies that had not arrived when the deadline passed. */
  | { readonly kind: "timeout"; readonly missing: readonly R[] };

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
  events: SagaEventWaits,
  options: AwaitRepliesOptions<R>,
): SagaGenerator<StepOutcome<R>> {
  const { df: d } = context;
  const anyOf = (options.anyOf ?? []).map((name) => ({ name, task: events.wait(name) }));
  const allOf = (options.allOf ?? []).map((name) => ({ name, task: events.wait(name) }));
  const cancel = options.cancellable ? events.wait(SAGA_REQUESTS.cancel) : undefined;
  const cancelled = (): StepOutcome<R> => {
    events.take(SAGA_REQUESTS.cancel);
    return { kind: "cancel", reason: cancelReason(cancel?.result) };
  };
  const replied = (hit: { name: R; task: df.Task }): StepOutcome<R> => {
    events.take(hit.name);
    return { kind: "reply", reply: hit.name, data: hit.task.result };
  };
  const allReplied = (): StepOutcome<R> => {
    for (const a of allOf) events.take(a.name);
    const last = allOf[allOf.length - 1] as { name: R; task: df.Task };
    return { kind: "reply", reply: last.name, data: allOf.map((a) => a.task.result) };
  };

  // Events raised before this step began (while the saga ran an activity) have arrived.
  if (cancel && arrived(cancel)) return cancelled();
  const early = anyOf.find((a) => arrived(a.task));
  if (early) return replied(early);
  if (allOf.length > 0 && allOf.every((a) => arrived(a.task))) return allReplied();

  const all = allOf.length > 0 ? d.Task.all(allOf.map((a) => a.task)) : undefined;
  const deadline = new Date(d.currentUtcDateTime.getTime() + options.timeoutSeconds * 1000);
  const timer = d.createTimer(deadline);
  const contenders: df.Task[] = [...anyOf.map((a) => a.task), timer];
  if (all) contenders.push(all);
  if (cancel) contenders.push(cancel);

  const winner = yield d.Task.any(contenders);
  // A pending timer keeps the instance alive until it fires; cancel it as soon as it lost.
  if (winner !== timer) timer.cancel();
  if (winner === timer) {
    const waited = [...anyOf, ...allOf];
    return { kind: "timeout", missing: waited.filter((w) => !arrived(w.task)).map((w) => w.name) };
  }
  if (cancel && winner === cancel) return cancelled();
  if (all && winner === all) return allReplied();
  const hit = anyOf.find((a) => a.task === winner);
  if (!hit) throw new Error("Task.any returned a task the saga did not start");
  return replied(hit);
}

/** Waits for a request event with no deadline (ship or cancel after Confirmed). */
export function* awaitRequest<R extends string>(
  context: df.OrchestrationContext,
  events: SagaEventWaits,
  names: readonly R[],
): SagaGenerator<{ readonly name: R; readonly data: unknown }> {
  const waits = names.map((name) => ({ name, task: events.wait(name) }));
  let hit = waits.find((w) => arrived(w.task));
  if (!hit) {
    const winner = yield context.df.Task.any(waits.map((w) => w.task));
    hit = waits.find((w) => w.task === winner);
  }
  if (!hit) throw new Error("Task.any returned a task the saga did not start");
  events.take(hit.name);
  return { name: hit.name, data: hit.task.result };
}

/** The cancel event's body names who cancelled; anything else counts as the customer. */
export function cancelReason(data: unknown): CancelReason {
  if (typeof data === "object" && data !== null && "reason" in data) {
    if (data.reason === "CancelledByOperator") return "CancelledByOperator";
  }
  return "CancelledByCustomer";
}
