/**
 * What the engine's parts share: storage (rows and inboxes through the instance mirror,
 * histories through their cache), the episode scheduler, the inbox message builder, the clock
 * and the outputs; and the operations several parts need on an instance.
 */
import type { EventEmitter } from "node:events";
import type { HostLogger } from "../host/plugin";
import type { EpisodeScheduler } from "./episodeScheduler";
import type { HistoryCache } from "./historyCache";
import type { InboxMessages } from "./inboxMessages";
import { pendingRecord, type NewInstance } from "./instanceRecords";
import type { InstanceMirror } from "./instanceMirror";
import type { InstanceRecord, TaskHubStore } from "./taskHubStore";

export interface EngineStats {
  episodes: number;
  activities: number;
}

export interface EngineParts {
  readonly store: TaskHubStore;
  readonly mirror: InstanceMirror;
  readonly histories: HistoryCache;
  readonly scheduler: EpisodeScheduler;
  readonly messages: InboxMessages;
  readonly clock: () => Date;
  readonly logger: HostLogger;
  /** Emits `finished` with the instance record when an instance reaches a terminal state. */
  readonly events: EventEmitter;
  /** Completed episodes and activities, for the benchmark. */
  readonly stats: EngineStats;
  /**
   * Instances whose scheduled work without an answer has been started again in this process
   * (or that started in it, so have none from an earlier one).
   */
  readonly reconciled: Set<string>;
  /** Whether this host runs the instance (it holds the lease of its partition). */
  owns(instanceId: string): boolean;
  /**
   * Has the instance run after a write to it: here if this host owns it, else by waking its
   * owner through the partition's control queue.
   */
  deliver(instanceId: string): Promise<void>;
}

/**
 * Writes a Pending row for a new instance or a new execution over a finished one; resolves
 * undefined when another writer got there first (taken id, changed row).
 */
export async function createOrRestart(
  parts: EngineParts,
  existing: InstanceRecord | undefined,
  init: NewInstance,
): Promise<InstanceRecord | undefined> {
  const record = pendingRecord(existing, init, parts.clock().toISOString());
  if (!(await parts.mirror.writeRecord(record, !existing))) return undefined;
  parts.histories.forget(init.instanceId);
  parts.reconciled.add(init.instanceId);
  return record;
}

/** Drops everything cached of the instance; the next episode reads it from storage. */
export function forgetInstance(parts: EngineParts, instanceId: string): void {
  parts.mirror.forget(instanceId);
  parts.histories.forget(instanceId);
}
