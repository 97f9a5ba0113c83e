/**
 * The engine's in-memory mirror of instance rows and inboxes. The host that holds an
 * instance's partition is the only one that runs it, and other hosts that write to it (a
 * raised event, a start) wake it through its control queue, which drops what is mirrored
 * (`touched`). So after a first read of an owned instance's row or inbox the engine mirrors
 * them and reads storage only once per instance and ownership. Instances of other partitions
 * are never mirrored: they are read from storage each time. Storage stays the truth: every
 * write goes there first, and the mirror follows a write only once it has landed.
 *
 * The race it guards against: a first read that overlaps a write to the same instance may
 * answer with what was there before the write, and a mirror built from that read would hide
 * the write for the life of the process. So a row or inbox read from storage is mirrored only
 * if no write to that instance completed during the read; otherwise it is read again.
 * - Inbox: a raised event written while the inbox was first read (a reply raised as a
 *   restarted host resumes its instances) would wait unseen until the next restart.
 * - Row: an episode's commit landing while the row was read (after a failed episode made the
 *   engine forget the instance) would make the next episode replay a truncated history and
 *   write over the committed events.
 *
 * Activity answers for an instance this host owns are held here in memory only (`hold`), not
 * written to the inbox: the owner's next episode delivers them and commits them to history,
 * which is the only place an answer must last. If the process dies first, or the partition
 * goes to another host, the answer is gone with it and the instance's next owner runs the
 * activity again on its first episode (activities are at least once). That saves two storage
 * writes per activity: the answer's row, and its deletion after delivery.
 */
import { bySeq } from "./inboxMessages";
import type { InboxMessage, InstanceRecord, InstanceRowStore } from "./taskHubStore";

export class InstanceMirror {
  private readonly records = new Map<string, InstanceRecord>();
  private readonly inboxes = new Map<string, Map<string, InboxMessage>>();
  /** Answers held in memory only, by instance; they outlive `forget`, not a lost partition. */
  private readonly held = new Map<string, Map<string, InboxMessage>>();
  /**
   * Storage writes to each instance's row or inbox that have completed in this process,
   * failed ones included: a write whose answer was lost may still have landed.
   */
  private readonly writesDone = new Map<string, number>();

  constructor(
    private readonly store: InstanceRowStore,
    /** Whether an instance may be mirrored (this host owns its partition). */
    private readonly mirrors: (instanceId: string) => boolean = () => true,
  ) {}

  private writesTo(instanceId: string): number {
    return this.writesDone.get(instanceId) ?? 0;
  }

  private async writing<T>(instanceId: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } finally {
      this.writesDone.set(instanceId, this.writesTo(instanceId) + 1);
    }
  }

  /** The instance row (a copy the caller may change), or undefined when there is none. */
  async readRecord(instanceId: string): Promise<InstanceRecord | undefined> {
    if (!this.mirrors(instanceId)) return this.store.getInstance(instanceId);
    for (;;) {
      const mirrored = this.records.get(instanceId);
      if (mirrored) return { ...mirrored };
      const writes = this.writesTo(instanceId);
      const record = await this.store.getInstance(instanceId);
      // A write landed during the read: the row read may be the one it replaced.
      if (this.writesTo(instanceId) !== writes) continue;
      if (record) this.records.set(instanceId, { ...record });
      return record;
    }
  }

  /**
   * Creates the row, or replaces it if its ETag still matches (setting the new one on
   * `record`). On a lost race the mirrored row is dropped, so the next read sees the winner.
   */
  async writeRecord(record: InstanceRecord, create: boolean): Promise<boolean> {
    const ok = await this.writing(record.instanceId, () =>
      create ? this.store.createInstance(record) : this.store.replaceInstance(record),
    );
    if (ok && this.mirrors(record.instanceId)) this.records.set(record.instanceId, { ...record });
    else this.records.delete(record.instanceId);
    return ok;
  }

  /**
   * Holds messages (activity answers) in memory as part of the instance's inbox, when this
   * host owns the instance; false when it does not and they must be written to storage.
   */
  hold(instanceId: string, messages: readonly InboxMessage[]): boolean {
    if (!this.mirrors(instanceId)) return false;
    const held = this.held.get(instanceId) ?? new Map<string, InboxMessage>();
    for (const m of messages) held.set(m.key, m);
    this.held.set(instanceId, held);
    return true;
  }

  /** The instance's messages in delivery order, held ones included. */
  async readInbox(instanceId: string): Promise<InboxMessage[]> {
    const stored = await this.readStoredInbox(instanceId);
    const held = this.held.get(instanceId);
    return held ? [...stored, ...held.values()].sort(bySeq) : stored;
  }

  private async readStoredInbox(instanceId: string): Promise<InboxMessage[]> {
    if (!this.mirrors(instanceId)) return this.store.readInbox(instanceId);
    let mirror = this.inboxes.get(instanceId);
    while (!mirror) {
      const writes = this.writesTo(instanceId);
      const messages = await this.store.readInbox(instanceId);
      // Another read may have built the mirror meanwhile (writes since then joined it); a
      // write that landed during this read found none to join and may be missing from it.
      mirror = this.inboxes.get(instanceId);
      if (!mirror && this.writesTo(instanceId) === writes) {
        mirror = new Map(messages.map((m) => [m.key, m]));
        this.inboxes.set(instanceId, mirror);
      }
    }
    return [...mirror.values()].sort(bySeq);
  }

  async putInbox(instanceId: string, messages: readonly InboxMessage[]): Promise<void> {
    await this.writing(instanceId, () => this.store.putInbox(instanceId, messages));
    const mirror = this.inboxes.get(instanceId);
    if (mirror) for (const m of messages) mirror.set(m.key, m);
  }

  /** Deletes messages; held ones never reach storage, and with a mirror only the ones it has. */
  async deleteInbox(instanceId: string, keys: readonly string[]): Promise<void> {
    const held = this.held.get(instanceId);
    const stored = held ? keys.filter((k) => !held.delete(k)) : keys;
    if (held?.size === 0) this.held.delete(instanceId);
    const mirror = this.inboxes.get(instanceId);
    const present = mirror ? stored.filter((k) => mirror.has(k)) : stored;
    if (present.length === 0) return;
    await this.writing(instanceId, () => this.store.deleteInbox(instanceId, present));
    if (mirror) for (const k of present) mirror.delete(k);
  }

  /** Deletes the instance's row, history and inbox (purge). */
  async deleteInstance(instanceId: string): Promise<void> {
    this.held.delete(instanceId);
    this.forget(instanceId);
    await this.writing(instanceId, () => this.store.deleteInstance(instanceId));
    this.forget(instanceId);
  }

  /** Drops what is mirrored of the instance; the next read goes to storage. */
  forget(instanceId: string): void {
    this.records.delete(instanceId);
    this.inboxes.delete(instanceId);
  }

  /**
   * Another host wrote to the instance: drops what is mirrored, and counts it as a write so
   * that a first read under way when it landed is not mirrored either.
   */
  touched(instanceId: string): void {
    this.writesDone.set(instanceId, this.writesTo(instanceId) + 1);
    this.forget(instanceId);
  }

  /**
   * Drops what is mirrored or held of every matching instance (a partition taken or handed
   * over); the engine reruns their unanswered activities when it next owns them.
   */
  forgetWhere(matches: (instanceId: string) => boolean): void {
    for (const id of [...this.records.keys(), ...this.inboxes.keys(), ...this.held.keys()]) {
      if (matches(id)) {
        this.held.delete(id);
        this.touched(id);
      }
    }
  }
}
