/**
 * Turns one orchestrator episode's answer (the library's `OrchestratorState`) into the
 * engine's decisions, the way the Durable extension's out-of-process shim replays the
 * returned actions against the history: actions already in the history are checked for
 * determinism, new ones are scheduled with the next sequence ids, retry chains get their
 * timers and attempts, and the episode's outcome is decided.
 */
import { HistoryFacts, answeredId } from "./historyFacts";
import {
  ActionType,
  HistoryEventType,
  type HistoryEvent,
  type OrchestratorStateWire,
  type RetryPolicy,
  type WireAction,
} from "./protocol";

export interface ActivityWork {
  id: number;
  name: string;
  input: string;
}

export interface SubOrchestrationWork {
  id: number;
  name: string;
  instanceId: string;
  input: string;
}

export type TurnOutcome =
  | { kind: "running" }
  | { kind: "completed"; output: string }
  | { kind: "continuedAsNew"; input: string; carriedEvents: HistoryEvent[] }
  | { kind: "failed"; message: string; details: string };

export interface TurnPlan {
  /** Events to append after the episode's delivered events. */
  appended: HistoryEvent[];
  activities: ActivityWork[];
  subOrchestrations: SubOrchestrationWork[];
  timers: Array<{ id: number; fireAt: string }>;
  cancelledTimers: number[];
  /** Answers the engine gives at once (attempts after a retry timeout), delivered next episode. */
  immediateAnswers: HistoryEvent[];
  outcome: TurnOutcome;
  customStatus: unknown;
}

export interface PlanInput {
  orchestrationName: string;
  instanceId: string;
  /** Committed history of the execution, before this episode. */
  history: readonly HistoryEvent[];
  /** Events delivered in this episode (after its OrchestratorStarted), retry answer last. */
  delivered: readonly HistoryEvent[];
  state: OrchestratorStateWire;
  now: Date;
}

const ID_ACTIONS = new Set<number>([
  ActionType.CallActivity,
  ActionType.CallActivityWithRetry,
  ActionType.CreateTimer,
  ActionType.CallSubOrchestrator,
  ActionType.CallSubOrchestratorWithRetry,
]);

const UNSUPPORTED: Record<number, string> = {
  [ActionType.CallEntity]: "callEntity",
  [ActionType.SignalEntity]: "signalEntity",
  [ActionType.LockEntities]: "lock",
  [ActionType.ReleaseEntities]: "lock release",
  [ActionType.CallHttp]: "callHttp",
};

/** Serialises an action's input the way the library expects it back (strings arrive pre-encoded). */
export function encodeInput(input: unknown): string {
  if (typeof input === "string") return input;
  return JSON.stringify(input ?? null);
}

export function flattenActions(actions: readonly WireAction[][] | undefined): WireAction[] {
  const out: WireAction[] = [];
  const visit = (a: WireAction): void => {
    const compound = a.compoundActions;
    if (Array.isArray(compound)) for (const c of compound as WireAction[]) visit(c);
    else out.push(a);
  };
  for (const group of actions ?? []) for (const a of group ?? []) visit(a);
  return out;
}

function describeEvent(e: HistoryEvent): string {
  switch (e.EventType) {
    case HistoryEventType.TaskScheduled:
      return `callActivity('${e.Name ?? ""}')`;
    case HistoryEventType.TimerCreated:
      return "createTimer";
    case HistoryEventType.SubOrchestrationInstanceCreated:
      return `callSubOrchestrator('${e.Name ?? ""}')`;
    default:
      return `event type ${e.EventType}`;
  }
}

function describeAction(a: WireAction): string {
  switch (a.actionType) {
    case ActionType.CallActivity:
    case ActionType.CallActivityWithRetry:
      return `callActivity('${a.functionName ?? ""}')`;
    case ActionType.CreateTimer:
      return "createTimer";
    case ActionType.CallSubOrchestrator:
    case ActionType.CallSubOrchestratorWithRetry:
      return `callSubOrchestrator('${a.functionName ?? ""}')`;
    default:
      return `action type ${a.actionType}`;
  }
}

function matches(e: HistoryEvent, a: WireAction): boolean {
  switch (a.actionType) {
    case ActionType.CallActivity:
    case ActionType.CallActivityWithRetry:
      return e.EventType === HistoryEventType.TaskScheduled && e.Name === a.functionName;
    case ActionType.CreateTimer:
      return e.EventType === HistoryEventType.TimerCreated;
    default:
      return (
        e.EventType === HistoryEventType.SubOrchestrationInstanceCreated &&
        e.Name === a.functionName
      );
  }
}

/** Delay before the next attempt, as Durable computes it; 0 once attempts or time ran out. */
export function retryDelayInMs(policy: RetryPolicy, failures: number, elapsedMs: number): number {
  if (failures >= policy.maxNumberOfAttempts) return 0;
  const timeout = policy.retryTimeoutInMilliseconds;
  if (
    timeout !== undefined &&
    timeout > 0 &&
    timeout < Number.MAX_SAFE_INTEGER &&
    elapsedMs >= timeout
  ) {
    return 0;
  }
  const coefficient = policy.backoffCoefficient ?? 1;
  const delay = policy.firstRetryIntervalInMilliseconds * Math.pow(coefficient, failures - 1);
  const max = policy.maxRetryIntervalInMilliseconds;
  return max !== undefined && max > 0 && max < Number.MAX_SAFE_INTEGER
    ? Math.min(delay, max)
    : delay;
}

function retryExpired(policy: RetryPolicy, elapsedMs: number): boolean {
  const timeout = policy.retryTimeoutInMilliseconds;
  return (
    timeout !== undefined &&
    timeout > 0 &&
    timeout < Number.MAX_SAFE_INTEGER &&
    elapsedMs >= timeout
  );
}

export function planTurn(input: PlanInput): TurnPlan {
  const { state, now } = input;
  const stamp = now.toISOString();
  const facts = new HistoryFacts(input.history);
  for (const e of input.delivered) facts.add(e);
  const primaries = facts.primaries();
  const plan: TurnPlan = {
    appended: [],
    activities: [],
    subOrchestrations: [],
    timers: [],
    cancelledTimers: [],
    immediateAnswers: [],
    outcome: { kind: "running" },
    customStatus: state.customStatus,
  };
  const fail = (message: string): TurnPlan => {
    plan.appended = [];
    plan.activities = [];
    plan.subOrchestrations = [];
    plan.timers = [];
    plan.immediateAnswers = [];
    plan.outcome = { kind: "failed", message, details: "" };
    return plan;
  };

  let step = 0;
  let nextId = facts.maxId + 1;
  const waits = new Map<string, number>();
  let continueAsNew: WireAction | undefined;
  for (const action of flattenActions(state.actions)) {
    const unsupported = UNSUPPORTED[action.actionType];
    if (unsupported) {
      return fail(
        `Orchestrator '${input.orchestrationName}' used ${unsupported}, which the local Durable engine does not support.`,
      );
    }
    if (action.actionType === ActionType.WaitForExternalEvent) {
      const name = String(action.externalEventName ?? "");
      waits.set(name, (waits.get(name) ?? 0) + 1);
      continue;
    }
    if (action.actionType === ActionType.ContinueAsNew) {
      continueAsNew = action;
      continue;
    }
    if (!ID_ACTIONS.has(action.actionType)) continue;
    const known = primaries[step];
    step++;
    if (known) {
      if (!matches(known, action)) {
        return fail(
          `Non-deterministic orchestrator '${input.orchestrationName}' (instance '${input.instanceId}'): ` +
            `at step ${step} (sequence id ${known.EventId}) the history has ${describeEvent(known)} ` +
            `but the orchestrator now called ${describeAction(action)}. ` +
            "Orchestrator code must make the same calls in the same order on every replay.",
        );
      }
      if (
        action.actionType === ActionType.CreateTimer &&
        action.isCanceled === true &&
        !facts.answered.has(known.EventId)
      ) {
        plan.cancelledTimers.push(known.EventId);
      }
      continue;
    }
    schedule(action, nextId++);
  }
  if (step < primaries.length && state.isDone !== false) {
    const missing = primaries[step];
    if (missing) {
      return fail(
        `Non-deterministic orchestrator '${input.orchestrationName}' (instance '${input.instanceId}'): ` +
          `at step ${step + 1} (sequence id ${missing.EventId}) the history has ${describeEvent(missing)} ` +
          "but the orchestrator no longer calls it.",
      );
    }
  }

  function schedule(action: WireAction, id: number): void {
    const name = action.functionName ?? "";
    const encoded = encodeInput(action.input);
    const retry = action.retryOptions;
    switch (action.actionType) {
      case ActionType.CallActivity:
      case ActionType.CallActivityWithRetry: {
        plan.appended.push({
          EventType: HistoryEventType.TaskScheduled,
          EventId: id,
          IsPlayed: false,
          Timestamp: stamp,
          Name: name,
          Input: encoded,
          ...(action.actionType === ActionType.CallActivityWithRetry && retry
            ? { Retry: retry }
            : {}),
        });
        plan.activities.push({ id, name, input: encoded });
        return;
      }
      case ActionType.CreateTimer: {
        const fireAt = new Date(action.fireAt ?? stamp).toISOString();
        plan.appended.push({
          EventType: HistoryEventType.TimerCreated,
          EventId: id,
          IsPlayed: false,
          Timestamp: stamp,
          FireAt: fireAt,
        });
        if (action.isCanceled !== true) plan.timers.push({ id, fireAt });
        return;
      }
      default: {
        const childId = action.instanceId || `${input.instanceId}:${id}`;
        plan.appended.push({
          EventType: HistoryEventType.SubOrchestrationInstanceCreated,
          EventId: id,
          IsPlayed: false,
          Timestamp: stamp,
          Name: name,
          Input: encoded,
          InstanceId: childId,
          ...(action.actionType === ActionType.CallSubOrchestratorWithRetry && retry
            ? { Retry: retry }
            : {}),
        });
        plan.subOrchestrations.push({ id, name, instanceId: childId, input: encoded });
      }
    }
  }

  const done = state.isDone === true;
  const last = input.delivered[input.delivered.length - 1];
  if (!done && last && facts.isRetryAnswer(last)) followRetry(last, nextId);

  function followRetry(answer: HistoryEvent, id: number): void {
    const answered = answeredId(answer) ?? -1;
    const first = facts.retryChainOf(answered) ?? answered;
    const chain = facts.chain(first);
    const head = chain[0];
    const policy = head?.Retry;
    if (!head || !policy) return;
    const failures = chain.filter((e) => facts.failures.has(e.EventId)).length;
    const elapsed = now.getTime() - new Date(head.Timestamp).getTime();
    if (answer.EventType !== HistoryEventType.TimerFired) {
      const fireAt = new Date(
        now.getTime() + retryDelayInMs(policy, failures, elapsed),
      ).toISOString();
      plan.appended.push({
        EventType: HistoryEventType.TimerCreated,
        EventId: id,
        IsPlayed: false,
        Timestamp: stamp,
        FireAt: fireAt,
        RetryOf: first,
      });
      plan.timers.push({ id, fireAt });
      return;
    }
    // The library fails the task itself once its attempts are used up.
    if (failures >= policy.maxNumberOfAttempts) return;
    const attempt: HistoryEvent = {
      ...head,
      EventId: id,
      IsPlayed: false,
      Timestamp: stamp,
      RetryOf: first,
    };
    delete attempt.Retry;
    if (head.EventType === HistoryEventType.SubOrchestrationInstanceCreated) {
      const childId = head.InstanceId?.startsWith(`${input.instanceId}:`)
        ? `${input.instanceId}:${id}`
        : (head.InstanceId ?? `${input.instanceId}:${id}`);
      attempt.InstanceId = childId;
    }
    plan.appended.push(attempt);
    if (retryExpired(policy, elapsed)) {
      // Durable stops retrying after the retry timeout; the library only stops after its
      // attempts, so the remaining attempts fail at once with the last error.
      const lastFailure = [...chain]
        .reverse()
        .map((e) => facts.failures.get(e.EventId))
        .find(Boolean);
      const type =
        head.EventType === HistoryEventType.TaskScheduled
          ? HistoryEventType.TaskFailed
          : HistoryEventType.SubOrchestrationInstanceFailed;
      plan.immediateAnswers.push({
        ...(lastFailure ?? { Reason: "Retry timeout exceeded", Details: "" }),
        EventType: type,
        EventId: -1,
        IsPlayed: false,
        Timestamp: stamp,
        TaskScheduledId: id,
        Message: undefined,
      });
      return;
    }
    if (head.EventType === HistoryEventType.TaskScheduled) {
      plan.activities.push({ id, name: head.Name ?? "", input: head.Input ?? "null" });
    } else {
      plan.subOrchestrations.push({
        id,
        name: head.Name ?? "",
        instanceId: attempt.InstanceId ?? "",
        input: head.Input ?? "null",
      });
    }
  }

  plan.appended.push({
    EventType: HistoryEventType.OrchestratorCompleted,
    EventId: -1,
    IsPlayed: false,
    Timestamp: stamp,
  });

  if (continueAsNew && done) {
    plan.outcome = {
      kind: "continuedAsNew",
      input: encodeInput(continueAsNew.input),
      carriedEvents: unconsumedEvents([...input.history, ...input.delivered], waits),
    };
  } else if (done) {
    const output = JSON.stringify(state.output ?? null);
    plan.outcome = { kind: "completed", output };
    plan.appended.push({
      EventType: HistoryEventType.ExecutionCompleted,
      EventId: -1,
      IsPlayed: false,
      Timestamp: stamp,
      OrchestrationStatus: "Completed",
      Result: output,
    });
  }
  return plan;
}

/**
 * External events the orchestrator has not taken. Each wait takes the earliest event of its
 * name not yet taken, so per name the first `waits` events are consumed and the rest carry
 * over, in the order they were raised.
 */
export function unconsumedEvents(
  events: readonly HistoryEvent[],
  waits: ReadonlyMap<string, number>,
): HistoryEvent[] {
  const taken = new Map<string, number>();
  const rest: HistoryEvent[] = [];
  for (const e of events) {
    if (e.EventType !== HistoryEventType.EventRaised) continue;
    const name = e.Name ?? "";
    const used = taken.get(name) ?? 0;
    if (used < (waits.get(name) ?? 0)) taken.set(name, used + 1);
    else rest.push(e);
  }
  return rest;
}
