/**
 * Execution histories: read from and written to the store, and the current execution's kept in
 * memory between episodes. A cached history is used only while it matches the instance row
 * (same execution, as many events as the row says are committed), so a stale entry is never
 * replayed; unlike rows and inboxes it needs no guard against racing writes.
 */
import type { HistoryEvent } from "./protocol";
import type { InstanceRecord, TaskHubStore } from "./taskHubStore";

type HistoryStore = Pick<TaskHubStore, "readHistory" | "writeHistory">;

export class HistoryCache {
  private readonly cached = new Map<string, { executionId: number; events: HistoryEvent[] }>();

  constructor(private readonly store: HistoryStore) {}

  /** The committed history of the record's execution. */
  async read(record: InstanceRecord): Promise<HistoryEvent[]> {
    const cached = this.cached.get(record.instanceId);
    if (
      cached &&
      cached.executionId === record.executionId &&
      cached.events.length === record.historyLength
    ) {
      return cached.events;
    }
    const events = await this.readStored(record);
    this.cached.set(record.instanceId, { executionId: record.executionId, events });
    return events;
  }

  /** The committed history as stored, bypassing the cache (the management API's view). */
  readStored(record: InstanceRecord): Promise<HistoryEvent[]> {
    return this.store.readHistory(record.instanceId, record.executionId, record.historyLength);
  }

  /** Writes events of the record's execution from `startIndex` on; they count once the row says so. */
  append(
    record: InstanceRecord,
    startIndex: number,
    events: readonly HistoryEvent[],
  ): Promise<void> {
    return this.store.writeHistory(record.instanceId, record.executionId, startIndex, events);
  }

  /** Keeps a just-committed history for the execution's next episode. */
  remember(instanceId: string, executionId: number, events: HistoryEvent[]): void {
    this.cached.set(instanceId, { executionId, events });
  }

  forget(instanceId: string): void {
    this.cached.delete(instanceId);
  }

  forgetWhere(matches: (instanceId: string) => boolean): void {
    for (const id of [...this.cached.keys()]) if (matches(id)) this.cached.delete(id);
  }
}
