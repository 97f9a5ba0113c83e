/**
 * Instance status in the shape of the Durable HTTP API (`GET /instances/{id}`): times in ISO
 * 8601 UTC without fractions, JSON values parsed, and on request the history in the API's
 * own form (event type names, function names, scheduled times; results only with
 * `showHistoryOutput`).
 */
import type { InstanceRecord } from "./taskHubStore";
import { HistoryEventType, type HistoryEvent } from "./protocol";

const TYPE_NAMES = new Map<number, string>(
  Object.entries(HistoryEventType).map(([k, v]) => [v, k]),
);

export function isoSeconds(iso: string): string {
  return iso.replace(/\.\d+Z$/, "Z");
}

function parse(json: string | null | undefined): unknown {
  if (json === null || json === undefined || json === "") return null;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return json;
  }
}

export interface StatusOptions {
  showInput: boolean;
  showHistory: boolean;
  showHistoryOutput: boolean;
}

export function statusPayload(
  record: InstanceRecord,
  options: StatusOptions,
  history?: readonly HistoryEvent[],
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: record.name,
    instanceId: record.instanceId,
    runtimeStatus: record.runtimeStatus,
    input: options.showInput ? parse(record.input) : null,
    customStatus: parse(record.customStatus),
    output: parse(record.output),
    createdTime: isoSeconds(record.createdTime),
    lastUpdatedTime: isoSeconds(record.lastUpdatedTime),
  };
  if (options.showHistory && history) {
    body.historyEvents = historyEvents(history, options.showHistoryOutput);
    // durable-functions' DurableOrchestrationStatus reads `history`; the documented name is kept too.
    body.history = body.historyEvents;
  }
  return body;
}

function historyEvents(
  history: readonly HistoryEvent[],
  withOutput: boolean,
): Array<Record<string, unknown>> {
  const scheduled = new Map<number, HistoryEvent>();
  const out: Array<Record<string, unknown>> = [];
  for (const e of history) {
    switch (e.EventType) {
      case HistoryEventType.OrchestratorStarted:
      case HistoryEventType.OrchestratorCompleted:
        continue;
      case HistoryEventType.TaskScheduled:
      case HistoryEventType.SubOrchestrationInstanceCreated:
        scheduled.set(e.EventId, e);
        continue;
    }
    const item: Record<string, unknown> = {
      EventType: TYPE_NAMES.get(e.EventType) ?? String(e.EventType),
      Timestamp: isoSeconds(e.Timestamp),
    };
    const source = e.TaskScheduledId !== undefined ? scheduled.get(e.TaskScheduledId) : undefined;
    switch (e.EventType) {
      case HistoryEventType.ExecutionStarted:
        item.FunctionName = e.Name;
        if (withOutput) item.Input = parse(e.Input);
        break;
      case HistoryEventType.TaskCompleted:
      case HistoryEventType.SubOrchestrationInstanceCompleted:
        item.FunctionName = source?.Name;
        item.ScheduledTime = source ? isoSeconds(source.Timestamp) : undefined;
        if (withOutput) item.Result = parse(e.Result);
        break;
      case HistoryEventType.TaskFailed:
      case HistoryEventType.SubOrchestrationInstanceFailed:
        item.FunctionName = source?.Name;
        item.ScheduledTime = source ? isoSeconds(source.Timestamp) : undefined;
        item.Reason = e.Reason;
        if (withOutput) item.Details = e.Details;
        break;
      case HistoryEventType.TimerCreated:
      case HistoryEventType.TimerFired:
        item.FireAt = e.FireAt ? isoSeconds(e.FireAt) : undefined;
        break;
      case HistoryEventType.EventRaised:
        item.Name = e.Name;
        if (withOutput) item.Input = parse(e.Input);
        break;
      case HistoryEventType.ExecutionCompleted:
        item.OrchestrationStatus = "Completed";
        if (withOutput) item.Result = parse(e.Result);
        break;
      case HistoryEventType.ExecutionFailed:
        item.OrchestrationStatus = "Failed";
        item.Reason = e.Reason;
        if (withOutput) item.Details = e.Details;
        break;
      case HistoryEventType.ExecutionTerminated:
        item.OrchestrationStatus = "Terminated";
        item.Reason = parse(e.Input);
        break;
    }
    out.push(item);
  }
  return out;
}
