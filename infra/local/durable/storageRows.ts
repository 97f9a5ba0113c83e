/**
 * The task hub's table and row layouts, in one place: a restarted host reads what an earlier
 * one wrote, so names, keys and columns must not drift.
 * - `<hub>Instances`: one row per instance (PartitionKey = instance id, RowKey = "").
 * - `<hub>History`: one row per event (PartitionKey = instance id, RowKey = execution + index,
 *   zero-padded so that the string order is the event order), the event as JSON in `Event`.
 * - `<hub>Inbox`: one row per message (PartitionKey = instance id, RowKey = message key).
 * - `<hub>Partitions`: partition leases and live workers (`partitionLeases.ts`).
 */
import type { HistoryEvent, RuntimeStatus } from "./protocol";
import type { InboxKind, InboxMessage, InstanceRecord } from "./taskHubStore";

export type Row = Record<string, unknown> & { partitionKey: string; rowKey: string };

export function tableNames(hubName: string): {
  instances: string;
  history: string;
  inbox: string;
  partitions: string;
} {
  return {
    instances: `${hubName}Instances`,
    history: `${hubName}History`,
    inbox: `${hubName}Inbox`,
    partitions: `${hubName}Partitions`,
  };
}

/** The instance table keeps one row per partition. */
export const INSTANCE_ROW_KEY = "";

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

export function historyRowKey(executionId: number, index: number): string {
  return `${pad(executionId, 6)}-${pad(index, 8)}`;
}

/** The row's partition and row key (what a delete names). */
export function rowRef(instanceId: string, rowKey: string): Row {
  return { partitionKey: instanceId, rowKey };
}

function str(value: unknown, fallback: string): string {
  return typeof value === "string"
    ? value
    : value === undefined || value === null
      ? fallback
      : JSON.stringify(value);
}

export function instanceRow(r: InstanceRecord): Row {
  return {
    ...rowRef(r.instanceId, INSTANCE_ROW_KEY),
    Name: r.name,
    RuntimeStatus: r.runtimeStatus,
    Input: r.input,
    Output: r.output,
    CustomStatus: r.customStatus,
    CreatedTime: r.createdTime,
    LastUpdatedTime: r.lastUpdatedTime,
    ExecutionId: r.executionId,
    HistoryLength: r.historyLength,
    LogLines: r.logLines,
    ParentInstanceId: r.parentInstanceId,
    ParentTaskId: r.parentTaskId,
    ParentExecutionId: r.parentExecutionId,
  };
}

export function instanceOfRow(row: Record<string, unknown> & { etag?: string }): InstanceRecord {
  return {
    instanceId: String(row.partitionKey),
    name: str(row.Name, ""),
    runtimeStatus: String(row.RuntimeStatus) as RuntimeStatus,
    input: str(row.Input, "null"),
    output: str(row.Output, "null"),
    customStatus: str(row.CustomStatus, "null"),
    createdTime: String(row.CreatedTime),
    lastUpdatedTime: String(row.LastUpdatedTime),
    executionId: Number(row.ExecutionId ?? 0),
    historyLength: Number(row.HistoryLength ?? 0),
    logLines: Number(row.LogLines ?? 0),
    parentInstanceId: str(row.ParentInstanceId, ""),
    parentTaskId: Number(row.ParentTaskId ?? -1),
    parentExecutionId: Number(row.ParentExecutionId ?? 0),
    etag: row.etag,
  };
}

export function historyRow(
  instanceId: string,
  executionId: number,
  index: number,
  event: HistoryEvent,
): Row {
  return {
    ...rowRef(instanceId, historyRowKey(executionId, index)),
    Event: JSON.stringify(event),
  };
}

export function eventOfHistoryRow(row: { Event: string }): HistoryEvent {
  return JSON.parse(row.Event) as HistoryEvent;
}

export function inboxRow(instanceId: string, m: InboxMessage): Row {
  return {
    ...rowRef(instanceId, m.key),
    Kind: m.kind,
    ExecutionId: m.executionId,
    VisibleAt: m.visibleAt,
    Seq: m.seq,
    Event: JSON.stringify(m.event),
  };
}

export function messageOfInboxRow(row: Record<string, unknown>): InboxMessage {
  return {
    key: String(row.rowKey),
    kind: String(row.Kind) as InboxKind,
    executionId: Number(row.ExecutionId ?? 0),
    visibleAt: Number(row.VisibleAt ?? 0),
    seq: str(row.Seq, ""),
    event: JSON.parse(String(row.Event)) as HistoryEvent,
  };
}
