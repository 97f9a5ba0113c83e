/**
 * Instance rows and inboxes in memory, with the semantics the instance mirror relies on from
 * `DurableStore`: a create fails on a taken id, a replace fails when the ETag moved on (and
 * sets the new one), reads answer copies. For the mirror's unit tests, where a read and a
 * write must be interleaved exactly.
 */
import { bySeq } from "../inboxMessages";
import type { InboxMessage, InstanceRecord, InstanceRowStore } from "../taskHubStore";

export class InMemoryRowStore implements InstanceRowStore {
  private readonly rows = new Map<string, InstanceRecord>();
  private readonly inboxes = new Map<string, Map<string, InboxMessage>>();
  private etags = 0;

  getInstance(instanceId: string): Promise<InstanceRecord | undefined> {
    const row = this.rows.get(instanceId);
    return Promise.resolve(row ? { ...row } : undefined);
  }

  createInstance(record: InstanceRecord): Promise<boolean> {
    if (this.rows.has(record.instanceId)) return Promise.resolve(false);
    this.rows.set(record.instanceId, { ...record, etag: this.nextEtag() });
    return Promise.resolve(true);
  }

  replaceInstance(record: InstanceRecord): Promise<boolean> {
    const row = this.rows.get(record.instanceId);
    if (!row) return Promise.reject(new Error(`No instance row '${record.instanceId}'.`));
    if (record.etag !== undefined && record.etag !== row.etag) return Promise.resolve(false);
    record.etag = this.nextEtag();
    this.rows.set(record.instanceId, { ...record });
    return Promise.resolve(true);
  }

  deleteInstance(instanceId: string): Promise<void> {
    this.rows.delete(instanceId);
    this.inboxes.delete(instanceId);
    return Promise.resolve();
  }

  readInbox(instanceId: string): Promise<InboxMessage[]> {
    const inbox = this.inboxes.get(instanceId) ?? new Map<string, InboxMessage>();
    return Promise.resolve([...inbox.values()].map((m) => ({ ...m })).sort(bySeq));
  }

  putInbox(instanceId: string, messages: readonly InboxMessage[]): Promise<void> {
    const inbox = this.inboxes.get(instanceId) ?? new Map<string, InboxMessage>();
    for (const m of messages) inbox.set(m.key, { ...m });
    this.inboxes.set(instanceId, inbox);
    return Promise.resolve();
  }

  deleteInbox(instanceId: string, keys: readonly string[]): Promise<void> {
    for (const key of keys) this.inboxes.get(instanceId)?.delete(key);
    return Promise.resolve();
  }

  private nextEtag(): string {
    return `W/"${++this.etags}"`;
  }
}
