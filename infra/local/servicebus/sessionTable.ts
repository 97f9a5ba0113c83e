import { BrokerError, conditions } from "./brokerError";
import type { Consumer } from "./consumer";
import { MinHeap } from "./minHeap";
import type { StoreContext } from "./storeOptions";
import type { StoredMessage } from "./storedMessage";
import type { TimerHandle } from "./timerQueue";

/** One session of a session-enabled entity. */
export interface SessionInfo {
  readonly id: string;
  /** Its messages ready for delivery, in sequence order. */
  readonly ready: MinHeap<StoredMessage>;
  owner: Consumer | undefined;
  lockedUntil: number;
  timer: TimerHandle | undefined;
  state: Buffer | undefined;
  /** When the state was last set (for com.microsoft:get-message-sessions). */
  stateUpdatedAt: number;
  /** Its messages locked by the session lock (renewed and released with it). */
  readonly locked: Set<StoredMessage>;
}

export const bySeq = (a: StoredMessage, b: StoredMessage): boolean => a.seq < b.seq;

/**
 * The sessions of one store: who holds each session lock, which sessions have messages ready
 * for an acceptNextSession, and the receivers waiting for one. A session without owner, state,
 * locked or ready messages is forgotten; it comes back when a message names it again.
 */
export class SessionTable {
  private readonly sessions = new Map<string, SessionInfo>();
  private readonly byOwner = new Map<Consumer, SessionInfo>();
  private readonly readyIds = new Set<string>();
  private readonly waiters: ((sessionId: string) => boolean)[] = [];

  constructor(
    private readonly ctx: StoreContext,
    private readonly lockDurationMs: () => number,
    /** The session lock ran out while `owner` held it. */
    private readonly onLockExpired: (s: SessionInfo, owner: Consumer) => void,
  ) {}

  /** The session, made when first named. */
  get(id: string): SessionInfo {
    let s = this.sessions.get(id);
    if (!s) {
      s = {
        id,
        ready: new MinHeap<StoredMessage>(bySeq),
        owner: undefined,
        lockedUntil: 0,
        timer: undefined,
        state: undefined,
        stateUpdatedAt: 0,
        locked: new Set(),
      };
      this.sessions.set(id, s);
    }
    return s;
  }

  find(id: string): SessionInfo | undefined {
    return this.sessions.get(id);
  }

  /** Sessions held by a consumer, with the consumer. */
  owned(): IterableIterator<[Consumer, SessionInfo]> {
    return this.byOwner.entries();
  }

  ownedBy(consumer: Consumer): SessionInfo | undefined {
    return this.byOwner.get(consumer);
  }

  /** Keeps the set of sessions an acceptNextSession may take, and wakes a waiting one. */
  updateReady(s: SessionInfo): void {
    if (!s.owner && s.ready.size > 0) {
      if (!this.readyIds.has(s.id)) {
        this.readyIds.add(s.id);
        while (this.waiters.length > 0 && this.readyIds.has(s.id)) {
          const waiter = this.waiters.shift() as (id: string) => boolean;
          waiter(s.id);
        }
      }
    } else {
      this.readyIds.delete(s.id);
    }
  }

  forgetIfIdle(id: string): void {
    const s = this.sessions.get(id);
    if (s && !s.owner && s.state === undefined && s.locked.size === 0 && s.ready.size === 0) {
      this.sessions.delete(id);
      this.readyIds.delete(id);
    }
  }

  /**
   * Locks a session for a consumer: the named one, or (sessionId undefined) any session with
   * ready messages. Returns the session, or undefined when none is free now.
   */
  acquire(consumer: Consumer, sessionId: string | undefined): SessionInfo | undefined {
    let s: SessionInfo | undefined;
    if (sessionId !== undefined) {
      s = this.get(sessionId);
      if (s.owner && s.owner !== consumer) {
        throw new BrokerError(
          conditions.sessionCannotBeLocked,
          `The requested session '${sessionId}' cannot be accepted. It may be locked by another receiver.`,
          410,
        );
      }
    } else {
      const first = this.readyIds.values().next();
      if (first.done) return undefined;
      s = this.get(first.value);
    }
    s.owner = consumer;
    this.byOwner.set(consumer, s);
    this.extendLock(s);
    this.updateReady(s);
    return s;
  }

  /** Calls `take` with a session id as soon as one has ready messages; returns a canceller. */
  waitFor(take: (sessionId: string) => boolean): () => void {
    this.waiters.push(take);
    return () => {
      const i = this.waiters.indexOf(take);
      if (i >= 0) this.waiters.splice(i, 1);
    };
  }

  extendLock(s: SessionInfo): void {
    this.ctx.timers.cancel(s.timer);
    s.lockedUntil = this.ctx.now() + this.lockDurationMs();
    for (const m of s.locked) m.lockedUntil = s.lockedUntil;
    const owner = s.owner;
    s.timer = this.ctx.timers.schedule(s.lockedUntil, () => {
      s.timer = undefined;
      if (s.owner === owner && owner) this.onLockExpired(s, owner);
    });
  }

  /** Drops the session lock; the caller releases the messages it locked. */
  detachOwner(s: SessionInfo): void {
    if (s.owner) this.byOwner.delete(s.owner);
    s.owner = undefined;
    this.ctx.timers.cancel(s.timer);
    s.timer = undefined;
  }

  /** The session, when a receiver holds its lock; otherwise the service's session-lock-lost. */
  ownedSession(sessionId: string): SessionInfo {
    const s = this.sessions.get(sessionId);
    if (!s || !s.owner) {
      throw new BrokerError(
        conditions.sessionLockLost,
        `The session lock has expired on the MessageSession '${sessionId}'. Accept a new MessageSession.`,
        410,
      );
    }
    return s;
  }

  /** Renews a held session lock; returns the new expiry. */
  renew(sessionId: string): number {
    const s = this.ownedSession(sessionId);
    this.extendLock(s);
    return s.lockedUntil;
  }

  state(sessionId: string): Buffer | undefined {
    return this.ownedSession(sessionId).state;
  }

  setState(sessionId: string, state: Buffer | undefined): void {
    const s = this.ownedSession(sessionId);
    s.state = state;
    s.stateUpdatedAt = this.ctx.now();
  }

  /** Sessions whose state was set after `since` (state cleared since then included). */
  stateUpdatedAfter(since: number): string[] {
    const out: string[] = [];
    for (const s of this.sessions.values()) if (s.stateUpdatedAt > since) out.push(s.id);
    return out;
  }

  clear(): void {
    for (const s of this.sessions.values()) this.ctx.timers.cancel(s.timer);
    this.sessions.clear();
    this.byOwner.clear();
    this.readyIds.clear();
    this.waiters.length = 0;
  }
}
