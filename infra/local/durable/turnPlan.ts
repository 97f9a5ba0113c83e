/**
 * What one orchestrator episode decided (the replay planner's answer, or a failure the engine
 * decides itself): history to append, work to start, timers to set or cancel, and how the
 * execution goes on.
 */
import type { HistoryEvent, OrchestratorStateWire } from "./protocol";

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

export function emptyPlan(outcome: TurnOutcome, customStatus: unknown): TurnPlan {
  return {
    appended: [],
    activities: [],
    subOrchestrations: [],
    timers: [],
    cancelledTimers: [],
    immediateAnswers: [],
    outcome,
    customStatus,
  };
}

/** A turn that fails the execution and starts nothing. */
export function failedPlan(
  message: string,
  details: string,
  fields: Partial<Pick<TurnPlan, "appended" | "cancelledTimers" | "customStatus">> = {},
): TurnPlan {
  return { ...emptyPlan({ kind: "failed", message, details }, undefined), ...fields };
}
