/**
 * Turns one orchestrator episode's answer (the library's `OrchestratorState`) into the
 * engine's decisions, the way the Durable extension's out-of-process shim replays the
 * returned actions against the history: actions already in the history are checked for
 * determinism, new ones are scheduled with the next sequence ids, retry chains get their
 * timers and attempts, and the episode's outcome is decided.
 */
import { HistoryFacts, answeredId } from "./historyFacts";
import {
  executionCompleted,
  failureRecordOf,
  orchestratorCompleted,
  subOrchestrationInstanceCreated,
  subOrchestrationInstanceFailed,
  taskFailed,
  taskScheduled,
  timerCreated,
} from "./historyEvents";
import {
  ActionType,
  HistoryEventType,
  type HistoryEvent,
  type RetryPolicy,
  type WireAction,
} from "./protocol";
import { retryDelayInMs, retryExpired } from "./retryPolicy";
import { emptyPlan, failedPlan, type PlanInput, type TurnPlan } from "./turnPlan";

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

/** What one turn has worked out so far. */
interface Turn {
  readonly input: PlanInput;
  readonly stamp: string;
  /** Facts of the history with this episode's deliveries. */
  readonly facts: HistoryFacts;
  readonly plan: TurnPlan;
  /** The sequence id the next new task gets. */
  nextId: number;
  /** How many times the orchestrator waits for an external event, per name. */
  readonly waits: Map<string, number>;
  continueAsNew?: WireAction;
}

/** A retry chain whose latest attempt or retry timer has just been answered. */
interface AnsweredRetry {
  /** The chain's first sequence id. */
  first: number;
  /** The chain's first scheduling event, which holds the call and its retry policy. */
  head: HistoryEvent;
  policy: RetryPolicy;
  chain: HistoryEvent[];
  failures: number;
  elapsedMs: number;
}

/**
 * Plans one episode: replay the orchestrator's actions against the history (scheduling the
 * new ones), answer a retry chain the episode delivered to, close the episode and decide how
 * the execution goes on.
 */
export function planTurn(input: PlanInput): TurnPlan {
  const turn = beginTurn(input);
  const failure = replayActions(turn);
  if (failure !== undefined) {
    return failedPlan(failure, "", {
      cancelledTimers: turn.plan.cancelledTimers,
      customStatus: turn.plan.customStatus,
    });
  }
  answerRetry(turn);
  turn.plan.appended.push(orchestratorCompleted(turn.stamp));
  decideOutcome(turn);
  return turn.plan;
}

function beginTurn(input: PlanInput): Turn {
  const facts = new HistoryFacts(input.history);
  for (const e of input.delivered) facts.add(e);
  return {
    input,
    stamp: input.now.toISOString(),
    facts,
    plan: emptyPlan({ kind: "running" }, input.state.customStatus),
    nextId: facts.maxId + 1,
    waits: new Map(),
  };
}

/**
 * Walks the orchestrator's actions against the history, step by step: a step the history
 * holds must be the same call (a cancelled timer among them is noted), a new step is
 * scheduled with the next sequence id. Returns why the turn fails, if it does.
 */
function replayActions(turn: Turn): string | undefined {
  const { input, facts, plan } = turn;
  const primaries = facts.primaries();
  let step = 0;
  for (const action of flattenActions(input.state.actions)) {
    const unsupported = UNSUPPORTED[action.actionType];
    if (unsupported) {
      return `Orchestrator '${input.orchestrationName}' used ${unsupported}, which the local Durable engine does not support.`;
    }
    if (action.actionType === ActionType.WaitForExternalEvent) {
      const name = String(action.externalEventName ?? "");
      turn.waits.set(name, (turn.waits.get(name) ?? 0) + 1);
      continue;
    }
    if (action.actionType === ActionType.ContinueAsNew) {
      turn.continueAsNew = action;
      continue;
    }
    if (!ID_ACTIONS.has(action.actionType)) continue;
    const known = primaries[step];
    step++;
    if (!known) {
      scheduleAction(turn, action, turn.nextId++);
      continue;
    }
    if (!matches(known, action)) {
      return nonDeterministic(
        input,
        step,
        known,
        `the orchestrator now called ${describeAction(action)}. ` +
          "Orchestrator code must make the same calls in the same order on every replay.",
      );
    }
    const cancelsTimer =
      action.actionType === ActionType.CreateTimer &&
      action.isCanceled === true &&
      !facts.answered.has(known.EventId);
    if (cancelsTimer) plan.cancelledTimers.push(known.EventId);
  }
  const missing = primaries[step];
  if (missing && input.state.isDone !== false) {
    return nonDeterministic(input, step + 1, missing, "the orchestrator no longer calls it.");
  }
  return undefined;
}

function nonDeterministic(
  input: PlanInput,
  step: number,
  known: HistoryEvent,
  but: string,
): string {
  return (
    `Non-deterministic orchestrator '${input.orchestrationName}' (instance '${input.instanceId}'): ` +
    `at step ${step} (sequence id ${known.EventId}) the history has ${describeEvent(known)} but ${but}`
  );
}

/** Records a new call in the history and the work it starts. */
function scheduleAction(turn: Turn, action: WireAction, id: number): void {
  const { plan, stamp } = turn;
  const name = action.functionName ?? "";
  const encoded = encodeInput(action.input);
  const call = { name, input: encoded };
  switch (action.actionType) {
    case ActionType.CallActivity:
    case ActionType.CallActivityWithRetry: {
      const retry = action.actionType === ActionType.CallActivityWithRetry && action.retryOptions;
      plan.appended.push(taskScheduled(stamp, id, retry ? { ...call, retry } : call));
      plan.activities.push({ id, ...call });
      return;
    }
    case ActionType.CreateTimer: {
      const fireAt = new Date(action.fireAt ?? stamp).toISOString();
      plan.appended.push(timerCreated(stamp, id, fireAt));
      if (action.isCanceled !== true) plan.timers.push({ id, fireAt });
      return;
    }
    default: {
      const instanceId = action.instanceId || `${turn.input.instanceId}:${id}`;
      const retry =
        action.actionType === ActionType.CallSubOrchestratorWithRetry && action.retryOptions;
      const child = { ...call, instanceId };
      plan.appended.push(
        subOrchestrationInstanceCreated(stamp, id, retry ? { ...child, retry } : child),
      );
      plan.subOrchestrations.push({ id, ...child });
    }
  }
}

/**
 * When this episode's last delivery answers a retry chain (retry answers are delivered last,
 * one per episode), the library hands out the next sequence id: after a failed attempt for
 * the retry timer, after a fired retry timer for the next attempt.
 */
function answerRetry(turn: Turn): void {
  const last = turn.input.delivered[turn.input.delivered.length - 1];
  if (turn.input.state.isDone === true || !last || !turn.facts.isRetryAnswer(last)) return;
  const retry = answeredRetry(turn, last);
  if (!retry) return;
  const id = turn.nextId;
  if (last.EventType !== HistoryEventType.TimerFired) {
    scheduleRetryTimer(turn, retry, id);
    return;
  }
  // The library fails the task itself once its attempts are used up.
  if (retry.failures >= retry.policy.maxNumberOfAttempts) return;
  const attempt = retryAttempt(turn, retry, id);
  turn.plan.appended.push(attempt);
  if (retryExpired(retry.policy, retry.elapsedMs)) failAttemptAtOnce(turn, retry, id);
  else startAttempt(turn.plan, attempt, id);
}

function answeredRetry(turn: Turn, answer: HistoryEvent): AnsweredRetry | undefined {
  const { facts } = turn;
  const answered = answeredId(answer) ?? -1;
  const first = facts.retryChainOf(answered) ?? answered;
  const chain = facts.chain(first);
  const head = chain[0];
  const policy = head?.Retry;
  if (!head || !policy) return undefined;
  return {
    first,
    head,
    policy,
    chain,
    failures: chain.filter((e) => facts.failures.has(e.EventId)).length,
    elapsedMs: turn.input.now.getTime() - new Date(head.Timestamp).getTime(),
  };
}

function scheduleRetryTimer(turn: Turn, retry: AnsweredRetry, id: number): void {
  const delay = retryDelayInMs(retry.policy, retry.failures, retry.elapsedMs);
  const fireAt = new Date(turn.input.now.getTime() + delay).toISOString();
  turn.plan.appended.push(timerCreated(turn.stamp, id, fireAt, retry.first));
  turn.plan.timers.push({ id, fireAt });
}

/** The next attempt: the chain's call again, under a new sequence id (and child instance id). */
function retryAttempt(turn: Turn, retry: AnsweredRetry, id: number): HistoryEvent {
  const { head, first } = retry;
  const call = { name: head.Name ?? "", input: head.Input ?? "null", retryOf: first };
  if (head.EventType === HistoryEventType.TaskScheduled) return taskScheduled(turn.stamp, id, call);
  const parent = turn.input.instanceId;
  const instanceId = head.InstanceId?.startsWith(`${parent}:`)
    ? `${parent}:${id}`
    : (head.InstanceId ?? `${parent}:${id}`);
  return subOrchestrationInstanceCreated(turn.stamp, id, { ...call, instanceId });
}

/**
 * Durable stops retrying after the retry timeout; the library only stops after its attempts,
 * so the remaining attempts fail at once with the last error.
 */
function failAttemptAtOnce(turn: Turn, retry: AnsweredRetry, id: number): void {
  const lastFailure = [...retry.chain]
    .reverse()
    .map((e) => turn.facts.failures.get(e.EventId))
    .find(Boolean);
  const failure = lastFailure
    ? failureRecordOf(lastFailure)
    : { reason: "Retry timeout exceeded", details: "" };
  const fail =
    retry.head.EventType === HistoryEventType.TaskScheduled
      ? taskFailed
      : subOrchestrationInstanceFailed;
  turn.plan.immediateAnswers.push(fail(turn.stamp, id, failure));
}

function startAttempt(plan: TurnPlan, attempt: HistoryEvent, id: number): void {
  const call = { id, name: attempt.Name ?? "", input: attempt.Input ?? "null" };
  if (attempt.EventType === HistoryEventType.TaskScheduled) plan.activities.push(call);
  else plan.subOrchestrations.push({ ...call, instanceId: attempt.InstanceId ?? "" });
}

/** A finished orchestrator completes its execution or continues as new. */
function decideOutcome(turn: Turn): void {
  const { input, plan } = turn;
  if (input.state.isDone !== true) return;
  if (turn.continueAsNew) {
    plan.outcome = {
      kind: "continuedAsNew",
      input: encodeInput(turn.continueAsNew.input),
      carriedEvents: unconsumedEvents([...input.history, ...input.delivered], turn.waits),
    };
    return;
  }
  const output = JSON.stringify(input.state.output ?? null);
  plan.outcome = { kind: "completed", output };
  plan.appended.push(executionCompleted(turn.stamp, output));
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
