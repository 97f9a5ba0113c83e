/**
 * One builder per history event type, in the PascalCase shape `durable-functions` reads (as
 * its `src/history/` classes do, one per type). The engine, the replay planner and the tests
 * build every event here, so an event's fields are spelled out once. Events the engine adds
 * are not yet played; answers and markers carry no sequence id of their own (`EventId` -1),
 * scheduling events carry the one the orchestrator library handed out.
 */
import {
  HistoryEventType,
  type FailureDetails,
  type HistoryEvent,
  type HistoryEventTypeValue,
  type RetryPolicy,
} from "./protocol";

/** Why a task or sub-orchestration failed, as its failure event records it. */
export interface FailureRecord {
  reason: string;
  details: string;
  failureDetails?: FailureDetails;
}

/** What a scheduling event records about the call. */
export interface ScheduledCall {
  name: string;
  input: string;
  /** The retry options of a `...WithRetry` call (on the chain's first event only). */
  retry?: RetryPolicy;
  /** The chain's first sequence id, on a retry's follow-up events. */
  retryOf?: number;
}

/** The failure a `TaskFailed` / `SubOrchestrationInstanceFailed` event records. */
export function failureRecordOf(event: HistoryEvent): FailureRecord {
  return {
    reason: event.Reason ?? "",
    details: event.Details ?? "",
    ...(event.FailureDetails ? { failureDetails: event.FailureDetails } : {}),
  };
}

function historyEvent(
  type: HistoryEventTypeValue,
  timestamp: string,
  fields: Partial<HistoryEvent> = {},
  eventId = -1,
): HistoryEvent {
  return { EventType: type, EventId: eventId, IsPlayed: false, Timestamp: timestamp, ...fields };
}

function retryFields(call: ScheduledCall): Partial<HistoryEvent> {
  return {
    ...(call.retry ? { Retry: call.retry } : {}),
    ...(call.retryOf !== undefined ? { RetryOf: call.retryOf } : {}),
  };
}

/** A builder of the answer event of a completed task (activity or sub-orchestration). */
function completion(type: HistoryEventTypeValue) {
  return (timestamp: string, taskScheduledId: number, result: string): HistoryEvent =>
    historyEvent(type, timestamp, { TaskScheduledId: taskScheduledId, Result: result });
}

/** A builder of the answer event of a failed task (activity or sub-orchestration). */
function failure(type: HistoryEventTypeValue) {
  return (timestamp: string, taskScheduledId: number, failed: FailureRecord): HistoryEvent =>
    historyEvent(type, timestamp, {
      TaskScheduledId: taskScheduledId,
      Reason: failed.reason,
      Details: failed.details,
      ...(failed.failureDetails ? { FailureDetails: failed.failureDetails } : {}),
    });
}

export function orchestratorStarted(timestamp: string): HistoryEvent {
  return historyEvent(HistoryEventType.OrchestratorStarted, timestamp);
}

export function orchestratorCompleted(timestamp: string): HistoryEvent {
  return historyEvent(HistoryEventType.OrchestratorCompleted, timestamp);
}

export function executionStarted(timestamp: string, name: string, input: string): HistoryEvent {
  return historyEvent(HistoryEventType.ExecutionStarted, timestamp, { Name: name, Input: input });
}

export function executionCompleted(timestamp: string, result: string): HistoryEvent {
  return historyEvent(HistoryEventType.ExecutionCompleted, timestamp, {
    OrchestrationStatus: "Completed",
    Result: result,
  });
}

export function executionFailed(timestamp: string, reason: string, details: string): HistoryEvent {
  return historyEvent(HistoryEventType.ExecutionFailed, timestamp, {
    OrchestrationStatus: "Failed",
    Reason: reason,
    Details: details,
  });
}

/** A terminate request (in the inbox) and the end it puts to the execution: the reason is its input. */
export function executionTerminated(timestamp: string, reason: string): HistoryEvent {
  return historyEvent(HistoryEventType.ExecutionTerminated, timestamp, { Input: reason });
}

export function taskScheduled(timestamp: string, id: number, call: ScheduledCall): HistoryEvent {
  const fields = { Name: call.name, Input: call.input, ...retryFields(call) };
  return historyEvent(HistoryEventType.TaskScheduled, timestamp, fields, id);
}

export const taskCompleted = completion(HistoryEventType.TaskCompleted);

export const taskFailed = failure(HistoryEventType.TaskFailed);

export function subOrchestrationInstanceCreated(
  timestamp: string,
  id: number,
  call: ScheduledCall & { instanceId: string },
): HistoryEvent {
  const fields = {
    Name: call.name,
    Input: call.input,
    InstanceId: call.instanceId,
    ...retryFields(call),
  };
  return historyEvent(HistoryEventType.SubOrchestrationInstanceCreated, timestamp, fields, id);
}

export const subOrchestrationInstanceCompleted = completion(
  HistoryEventType.SubOrchestrationInstanceCompleted,
);

export const subOrchestrationInstanceFailed = failure(
  HistoryEventType.SubOrchestrationInstanceFailed,
);

export function timerCreated(
  timestamp: string,
  id: number,
  fireAt: string,
  retryOf?: number,
): HistoryEvent {
  const fields = { FireAt: fireAt, ...(retryOf !== undefined ? { RetryOf: retryOf } : {}) };
  return historyEvent(HistoryEventType.TimerCreated, timestamp, fields, id);
}

/** A timer's firing, stamped with the time it was due. */
export function timerFired(timerId: number, fireAt: string): HistoryEvent {
  return historyEvent(HistoryEventType.TimerFired, fireAt, { TimerId: timerId, FireAt: fireAt });
}

export function eventRaised(timestamp: string, name: string, input: string): HistoryEvent {
  return historyEvent(HistoryEventType.EventRaised, timestamp, { Name: name, Input: input });
}
