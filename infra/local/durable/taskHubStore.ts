/**
 * What the engine keeps in its task hub's storage, and the operations it needs of it.
 * `DurableStore` implements them on Azure Table storage (Azurite locally); the instance
 * mirror's tests use an in-memory `InstanceRowStore`.
 */
import type { HistoryEvent, RuntimeStatus } from "./protocol";

export interface InstanceRecord {
  instanceId: string;
  name: string;
  runtimeStatus: RuntimeStatus;
  input: string;
  output: string;
  customStatus: string;
  createdTime: string;
  lastUpdatedTime: string;
  executionId: number;
  historyLength: number;
  /** Orchestrator log lines written so far in this execution (replayed lines are not rewritten). */
  logLines: number;
  parentInstanceId: string;
  parentTaskId: number;
  parentExecutionId: number;
  etag?: string;
}

export type InboxKind = "answer" | "timer" | "event" | "terminate";

export interface InboxMessage {
  key: string;
  kind: InboxKind;
  /** Answers and timers belong to one execution; events and terminate requests do not. */
  executionId: number;
  /** Epoch ms before which the message is not delivered (timers). */
  visibleAt: number;
  /** Delivery order. */
  seq: string;
  event: HistoryEvent;
}

export interface ListQuery {
  runtimeStatus?: string[];
  createdTimeFrom?: string;
  createdTimeTo?: string;
  instanceIdPrefix?: string;
  top?: number;
  continuationToken?: string;
}

export interface InstancePage {
  items: InstanceRecord[];
  continuationToken?: string;
}

/** Instance rows and inboxes: the part of the store the instance mirror stands in front of. */
export interface InstanceRowStore {
  getInstance(instanceId: string): Promise<InstanceRecord | undefined>;
  /** Creates the instance row; resolves false when the id is taken. */
  createInstance(record: InstanceRecord): Promise<boolean>;
  /** Replaces the row if its ETag still matches (and sets the new one); false on a lost race. */
  replaceInstance(record: InstanceRecord): Promise<boolean>;
  /** Deletes the instance row, its history and its inbox. */
  deleteInstance(instanceId: string): Promise<void>;
  /** The instance's messages in delivery order. */
  readInbox(instanceId: string): Promise<InboxMessage[]>;
  /** Writes messages; one with a key already present replaces it. */
  putInbox(instanceId: string, messages: readonly InboxMessage[]): Promise<void>;
  /** Deletes messages; keys already gone are fine. */
  deleteInbox(instanceId: string, keys: readonly string[]): Promise<void>;
}

export interface TaskHubStore extends InstanceRowStore {
  /** Service calls made so far, for the benchmark. */
  readonly operations: number;
  /** Creates the tables. */
  init(): Promise<void>;
  /** The first `length` history events of an execution. */
  readHistory(instanceId: string, executionId: number, length: number): Promise<HistoryEvent[]>;
  /** Writes history events from `startIndex` on, over leftovers of an interrupted episode. */
  writeHistory(
    instanceId: string,
    executionId: number,
    startIndex: number,
    events: readonly HistoryEvent[],
  ): Promise<void>;
  /** Instances whose status is not terminal (crash recovery). */
  listActive(): Promise<InstanceRecord[]>;
  /** One page of instances matching the query; the token is the next page's start. */
  listInstances(query: ListQuery): Promise<InstancePage>;
}
