/**
 * How an instance row changes: a (re)started instance, the row an episode commits, the row of
 * a terminated instance. Pure functions of the old row; the caller writes the new one.
 */
import type { InstanceRecord } from "./taskHubStore";
import type { TurnPlan } from "./turnPlan";

export interface NewInstance {
  instanceId: string;
  name: string;
  input: string;
  /** Set for a sub-orchestration: the parent and the task the child answers. */
  parentInstanceId?: string;
  parentTaskId?: number;
  parentExecutionId?: number;
}

/** A Pending row for a new instance, or a new execution over a finished one (same ETag). */
export function pendingRecord(
  existing: InstanceRecord | undefined,
  init: NewInstance,
  stamp: string,
): InstanceRecord {
  return {
    instanceId: init.instanceId,
    name: init.name,
    runtimeStatus: "Pending",
    input: init.input,
    output: "null",
    customStatus: "null",
    createdTime: stamp,
    lastUpdatedTime: stamp,
    executionId: existing ? existing.executionId + 1 : 0,
    historyLength: 0,
    logLines: 0,
    parentInstanceId: init.parentInstanceId ?? "",
    parentTaskId: init.parentTaskId ?? -1,
    parentExecutionId: init.parentExecutionId ?? 0,
    etag: existing?.etag,
  };
}

/** The row after an episode: its history length is the commit point. */
export function committedRecord(
  record: InstanceRecord,
  plan: TurnPlan,
  committed: { historyLength: number; logLines: number; stamp: string },
): InstanceRecord {
  const next: InstanceRecord = {
    ...record,
    runtimeStatus: "Running",
    customStatus: JSON.stringify(plan.customStatus ?? null),
    lastUpdatedTime: committed.stamp,
    historyLength: committed.historyLength,
    logLines: committed.logLines,
  };
  const outcome = plan.outcome;
  if (outcome.kind === "completed") {
    next.runtimeStatus = "Completed";
    next.output = outcome.output;
  } else if (outcome.kind === "failed") {
    next.runtimeStatus = "Failed";
    next.output = JSON.stringify(
      outcome.details ? `${outcome.message}\n${outcome.details}` : outcome.message,
    );
  } else if (outcome.kind === "continuedAsNew") {
    next.executionId = record.executionId + 1;
    next.historyLength = 0;
    next.input = outcome.input;
    next.output = "null";
    next.logLines = 0;
  }
  return next;
}

/** The row of a terminated instance: the reason is its output. */
export function terminatedRecord(
  record: InstanceRecord,
  reason: string,
  committed: { historyLength: number; stamp: string },
): InstanceRecord {
  return {
    ...record,
    runtimeStatus: "Terminated",
    output: JSON.stringify(reason),
    lastUpdatedTime: committed.stamp,
    historyLength: committed.historyLength,
  };
}
