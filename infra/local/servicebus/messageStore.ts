import { randomUUID } from "node:crypto";
import type { Message } from "rhea";
import { BrokerError, conditions, lockLost } from "./brokerError";
import { MinHeap } from "./minHeap";
import type { StoredMessage } from "./storedMessage";
import type { TimerHandle, TimerQueue } from "./timerQueue";

/** Entity settings after the topology's ISO durations are turned into milliseconds. */
export interface StoreOptions {
  readonly lockDurationMs: number;
  readonly maxDeliveryCount: number;
  readonly defaultTtlMs: number;
  readonly deadLetterOnExpiration: boolean;
  readonly requiresSession: boolean;
  readonly forwardTo: string | undefined;
}

/** A receiving link as the store sees it. */
export interface Consumer {
  readonly receiveAndDelete: boolean;
  /** How many more messages the link may take now. */
  credit(): number;
  deliver(message: StoredMessage, lockToken: string | undefined): void;
  /** The session lock ran out; the consumer detaches with session-lock-lost. */
  sessionLost?(): void;
}

interface SessionInfo {
  readonly id: string;
  readonly ready: MinHeap<StoredMessage>;
  owner: Consumer | undefined;
  lockedUntil: number;
  timer: TimerHandle | undefined;
  state: Buffer | undefined;
  readonly locked: Set<StoredMessage>;
}

export interface StoreContext {
  readonly timers: TimerQueue;
  readonly now: () => number;
}

const bySeq = (a: StoredMessage, b: StoredMessage): boolean => a.seq < b.seq;

/** Dead-letter reasons the service writes. */
export const DEAD_LETTER = {
  maxDelivery: "MaxDeliveryCountExceeded",
  ttl: "TTLExpiredException",
} as const;

/**
 * A queue, a subscription or a dead-letter sub-queue: every message in sequence order, a
 * min-heap of the ones ready for delivery (per session on session entities), and locks by
 * token. Delivery pops the heap (O(log n)); settling finds the lock by token (O(1)); no
 * operation on the delivery path scans the messages.
 */
export class MessageStore {
  private nextSeq = 1;
  /** Live messages by sequence number; Map order is sequence order because seq only grows. */
  private readonly all = new Map<number, StoredMessage>();
  /** Sequence numbers in order, for peeking from a sequence number by binary search (lazily compacted). */
  private seqIndex: number[] = [];
  private readonly ready = new MinHeap<StoredMessage>(bySeq);
  private readonly locks = new Map<string, StoredMessage>();
  private readonly consumers: Consumer[] = [];
  private roundRobin = 0;
  private readonly sessions = new Map<string, SessionInfo>();
  private readonly sessionOf = new Map<Consumer, SessionInfo>();
  private readonly readySessions = new Set<string>();
  private readonly sessionWaiters: ((sessionId: string) => boolean)[] = [];
  private pumping = false;
  private pumpAgain = false;
  deadLetterQueue: MessageStore | undefined;

  constructor(
    readonly path: string,
    readonly options: StoreOptions,
    private readonly ctx: StoreContext,
  ) {}

  get messageCount(): number {
    return this.all.size;
  }

  /** Adds a message; returns its sequence number. */
  enqueue(
    message: Message,
    opts: { scheduledAt?: number; deliveryCount?: number; keepTtl?: boolean } = {},
  ): number {
    const now = this.ctx.now();
    const seq = this.nextSeq++;
    const enqueuedAt = opts.scheduledAt !== undefined ? Math.max(now, opts.scheduledAt) : now;
    const ttl = Math.min(
      typeof message.ttl === "number" && message.ttl > 0 ? message.ttl : Infinity,
      this.options.defaultTtlMs,
    );
    const m: StoredMessage = {
      seq,
      message,
      enqueuedAt,
      expiresAt: opts.keepTtl === false ? Infinity : enqueuedAt + ttl,
      sessionId: this.options.requiresSession ? String(message.group_id ?? "") : undefined,
      deliveryCount: opts.deliveryCount ?? 0,
      state: "available",
      deferred: false,
      scheduledAt: undefined,
      lockToken: undefined,
      lockedUntil: 0,
      timer: undefined,
      expiryTimer: undefined,
    };
    this.all.set(seq, m);
    this.seqIndex.push(seq);
    if (Number.isFinite(m.expiresAt)) {
      m.expiryTimer = this.ctx.timers.schedule(m.expiresAt, () => this.expireIfIdle(m));
    }
    if (opts.scheduledAt !== undefined && opts.scheduledAt > now) {
      m.state = "scheduled";
      m.scheduledAt = opts.scheduledAt;
      m.timer = this.ctx.timers.schedule(opts.scheduledAt, () => {
        m.timer = undefined;
        if (m.state === "scheduled") {
          this.makeAvailable(m);
          this.pump();
        }
      });
    } else {
      this.makeAvailable(m);
      this.pump();
    }
    return seq;
  }

  cancelScheduled(seq: number): void {
    const m = this.all.get(seq);
    if (m && m.state === "scheduled") this.remove(m);
  }

  addConsumer(c: Consumer): void {
    this.consumers.push(c);
  }

  removeConsumer(c: Consumer): void {
    const i = this.consumers.indexOf(c);
    if (i >= 0) this.consumers.splice(i, 1);
    const s = this.sessionOf.get(c);
    if (s) this.releaseSession(s);
  }

  /** Hands ready messages to consumers with credit, round robin. */
  pump(): void {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        if (this.options.requiresSession) this.pumpSessions();
        else this.pumpShared();
      } while (this.pumpAgain);
    } finally {
      this.pumping = false;
    }
  }

  private pumpShared(): void {
    const n = this.consumers.length;
    while (n > 0 && this.ready.size > 0) {
      let consumer: Consumer | undefined;
      for (let k = 0; k < n; k++) {
        const c = this.consumers[(this.roundRobin + k) % n] as Consumer;
        if (c.credit() > 0) {
          consumer = c;
          this.roundRobin = (this.roundRobin + k + 1) % n;
          break;
        }
      }
      if (!consumer) return;
      const m = this.popReady(this.ready);
      if (!m) return;
      this.handOut(consumer, m, undefined);
    }
  }

  private pumpSessions(): void {
    for (const [consumer, session] of this.sessionOf) {
      while (consumer.credit() > 0) {
        const m = this.popReady(session.ready);
        if (!m) break;
        this.handOut(consumer, m, session);
      }
      this.updateReady(session);
    }
  }

  private popReady(heap: MinHeap<StoredMessage>): StoredMessage | undefined {
    const now = this.ctx.now();
    for (;;) {
      const m = heap.pop();
      if (!m) return undefined;
      if (m.state !== "available") continue;
      if (m.expiresAt <= now) {
        this.expire(m);
        continue;
      }
      return m;
    }
  }

  private handOut(consumer: Consumer, m: StoredMessage, session: SessionInfo | undefined): void {
    if (consumer.receiveAndDelete) {
      this.remove(m);
      consumer.deliver(m, undefined);
      return;
    }
    const token = this.lock(m, session);
    consumer.deliver(m, token);
    m.deliveryCount++;
  }

  private lock(m: StoredMessage, session: SessionInfo | undefined): string {
    const token = randomUUID();
    m.state = "locked";
    m.lockToken = token;
    this.locks.set(token, m);
    if (session) {
      // Messages of a session are locked by the session lock, which the SDK renews.
      m.lockedUntil = session.lockedUntil;
      session.locked.add(m);
    } else {
      m.lockedUntil = this.ctx.now() + this.options.lockDurationMs;
      m.timer = this.ctx.timers.schedule(m.lockedUntil, () => this.lockExpired(m, token));
    }
    return token;
  }

  private unlock(m: StoredMessage): void {
    if (m.lockToken) this.locks.delete(m.lockToken);
    m.lockToken = undefined;
    this.ctx.timers.cancel(m.timer);
    m.timer = undefined;
    if (m.sessionId !== undefined) this.sessions.get(m.sessionId)?.locked.delete(m);
  }

  private lockExpired(m: StoredMessage, token: string): void {
    if (m.lockToken !== token || m.state !== "locked") return;
    this.unlock(m);
    this.afterFailedAttempt(m);
    this.pump();
  }

  /** A delivery ended without completion: try again, or dead-letter after MaxDeliveryCount. */
  private afterFailedAttempt(m: StoredMessage): void {
    if (m.deliveryCount >= this.options.maxDeliveryCount) {
      this.deadLetter(
        m,
        DEAD_LETTER.maxDelivery,
        `Message could not be consumed after ${this.options.maxDeliveryCount} delivery attempts.`,
      );
    } else if (m.expiresAt <= this.ctx.now()) {
      this.expire(m);
    } else if (m.deferred) {
      m.state = "deferred";
    } else {
      this.makeAvailable(m);
    }
  }

  private makeAvailable(m: StoredMessage): void {
    m.state = "available";
    m.lockedUntil = 0;
    if (m.sessionId === undefined) {
      this.ready.push(m);
      return;
    }
    const s = this.session(m.sessionId);
    s.ready.push(m);
    this.updateReady(s);
  }

  private updateReady(s: SessionInfo): void {
    if (!s.owner && s.ready.size > 0) {
      if (!this.readySessions.has(s.id)) {
        this.readySessions.add(s.id);
        while (this.sessionWaiters.length > 0 && this.readySessions.has(s.id)) {
          const waiter = this.sessionWaiters.shift() as (id: string) => boolean;
          waiter(s.id);
        }
      }
    } else {
      this.readySessions.delete(s.id);
    }
  }

  private expireIfIdle(m: StoredMessage): void {
    m.expiryTimer = undefined;
    if (m.state === "available" || m.state === "deferred") this.expire(m);
  }

  private expire(m: StoredMessage): void {
    if (this.options.deadLetterOnExpiration) {
      this.deadLetter(m, DEAD_LETTER.ttl, "The message expired and was dead lettered.");
    } else {
      this.remove(m);
    }
  }

  private remove(m: StoredMessage): void {
    if (m.state === "locked") this.unlock(m);
    m.state = "removed";
    this.ctx.timers.cancel(m.timer);
    this.ctx.timers.cancel(m.expiryTimer);
    m.timer = undefined;
    m.expiryTimer = undefined;
    this.all.delete(m.seq);
    if (this.seqIndex.length > 1024 && this.seqIndex.length > 2 * this.all.size) {
      this.seqIndex = [...this.all.keys()];
    }
    if (m.sessionId !== undefined) this.forgetIdleSession(m.sessionId);
  }

  private deadLetter(
    m: StoredMessage,
    reason: string | undefined,
    description: string | undefined,
  ): void {
    this.remove(m);
    const dlq = this.deadLetterQueue;
    if (!dlq) return;
    const props: Record<string, unknown> = { ...(m.message.application_properties ?? {}) };
    if (reason !== undefined && reason !== null) props.DeadLetterReason = reason;
    if (description !== undefined && description !== null) {
      props.DeadLetterErrorDescription = description;
    }
    dlq.enqueue(
      { ...m.message, application_properties: props },
      { deliveryCount: m.deliveryCount, keepTtl: false },
    );
  }

  private applyProperties(m: StoredMessage, props: Record<string, unknown> | undefined): void {
    if (!props || Object.keys(props).length === 0) return;
    m.message = {
      ...m.message,
      application_properties: { ...(m.message.application_properties ?? {}), ...props },
    };
  }

  /** The message a lock token refers to, if the lock is still held. */
  private locked(token: string): StoredMessage {
    const m = this.locks.get(token);
    if (!m || m.state !== "locked") throw lockLost();
    if (m.sessionId === undefined && m.lockedUntil <= this.ctx.now()) {
      this.lockExpired(m, token);
      throw lockLost();
    }
    return m;
  }

  hasLock(token: string): boolean {
    return this.locks.has(token);
  }

  complete(token: string): void {
    this.remove(this.locked(token));
    this.pump();
  }

  abandon(token: string, props?: Record<string, unknown>): void {
    const m = this.locked(token);
    this.applyProperties(m, props);
    this.unlock(m);
    this.afterFailedAttempt(m);
    this.pump();
  }

  defer(token: string, props?: Record<string, unknown>): void {
    const m = this.locked(token);
    this.applyProperties(m, props);
    this.unlock(m);
    m.deferred = true;
    m.state = "deferred";
    this.pump();
  }

  deadLetterByToken(
    token: string,
    reason: string | undefined,
    description: string | undefined,
    props?: Record<string, unknown>,
  ): void {
    const m = this.locked(token);
    this.applyProperties(m, props);
    this.deadLetter(m, reason, description);
    this.pump();
  }

  renewLock(token: string): number {
    const m = this.locked(token);
    if (m.sessionId !== undefined) return m.lockedUntil;
    this.ctx.timers.cancel(m.timer);
    m.lockedUntil = this.ctx.now() + this.options.lockDurationMs;
    m.timer = this.ctx.timers.schedule(m.lockedUntil, () => this.lockExpired(m, token));
    return m.lockedUntil;
  }

  /** Locks (or, in receiveAndDelete mode, removes) deferred messages by sequence number. */
  receiveDeferred(
    seqs: readonly number[],
    receiveAndDelete: boolean,
  ): { message: StoredMessage; lockToken: string | undefined }[] {
    const found = seqs.map((seq) => {
      const m = this.all.get(seq);
      if (!m || m.state !== "deferred") {
        throw new BrokerError(
          conditions.messageNotFound,
          `Failed to lock one or more specified messages. The message with sequence number ${seq} is not deferred or does not exist.`,
          404,
        );
      }
      return m;
    });
    return found.map((m) => {
      if (receiveAndDelete) {
        this.remove(m);
        return { message: m, lockToken: undefined };
      }
      // A deferred message is settled through $management, so its lock is a plain timed lock.
      const token = randomUUID();
      m.state = "locked";
      m.lockToken = token;
      this.locks.set(token, m);
      m.lockedUntil = this.ctx.now() + this.options.lockDurationMs;
      m.timer = this.ctx.timers.schedule(m.lockedUntil, () => this.lockExpired(m, token));
      m.deliveryCount++;
      return { message: m, lockToken: token };
    });
  }

  /** Messages from a sequence number on, in order, without locking them (dead ones excluded). */
  peek(fromSeq: number, count: number, sessionId?: string): StoredMessage[] {
    const out: StoredMessage[] = [];
    const index = this.seqIndex;
    let lo = 0;
    let hi = index.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((index[mid] as number) < fromSeq) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < index.length && out.length < count; i++) {
      const m = this.all.get(index[i] as number);
      if (!m) continue;
      if (sessionId !== undefined && m.sessionId !== sessionId) continue;
      out.push(m);
    }
    return out;
  }

  private session(id: string): SessionInfo {
    let s = this.sessions.get(id);
    if (!s) {
      s = {
        id,
        ready: new MinHeap<StoredMessage>(bySeq),
        owner: undefined,
        lockedUntil: 0,
        timer: undefined,
        state: undefined,
        locked: new Set(),
      };
      this.sessions.set(id, s);
    }
    return s;
  }

  private forgetIdleSession(id: string): void {
    const s = this.sessions.get(id);
    if (s && !s.owner && s.state === undefined && s.locked.size === 0 && s.ready.size === 0) {
      this.sessions.delete(id);
      this.readySessions.delete(id);
    }
  }

  /**
   * Locks a session for a consumer: the named one, or (sessionId undefined) any session with
   * ready messages. Returns the session id, or undefined when none is free now.
   */
  acquireSession(consumer: Consumer, sessionId: string | undefined): string | undefined {
    let s: SessionInfo | undefined;
    if (sessionId !== undefined) {
      s = this.session(sessionId);
      if (s.owner && s.owner !== consumer) {
        throw new BrokerError(
          conditions.sessionCannotBeLocked,
          `The requested session '${sessionId}' cannot be accepted. It may be locked by another receiver.`,
          410,
        );
      }
    } else {
      const first = this.readySessions.values().next();
      if (first.done) return undefined;
      s = this.session(first.value);
    }
    s.owner = consumer;
    this.sessionOf.set(consumer, s);
    this.extendSessionLock(s);
    this.updateReady(s);
    return s.id;
  }

  /** Calls `take` with a session id as soon as one has ready messages; returns a canceller. */
  waitForSession(take: (sessionId: string) => boolean): () => void {
    this.sessionWaiters.push(take);
    return () => {
      const i = this.sessionWaiters.indexOf(take);
      if (i >= 0) this.sessionWaiters.splice(i, 1);
    };
  }

  sessionLockedUntil(consumer: Consumer): number {
    return this.sessionOf.get(consumer)?.lockedUntil ?? 0;
  }

  private extendSessionLock(s: SessionInfo): void {
    this.ctx.timers.cancel(s.timer);
    s.lockedUntil = this.ctx.now() + this.options.lockDurationMs;
    for (const m of s.locked) m.lockedUntil = s.lockedUntil;
    const owner = s.owner;
    s.timer = this.ctx.timers.schedule(s.lockedUntil, () => {
      s.timer = undefined;
      if (s.owner === owner && owner) {
        this.releaseSession(s);
        owner.sessionLost?.();
      }
    });
  }

  private releaseSession(s: SessionInfo): void {
    if (s.owner) this.sessionOf.delete(s.owner);
    s.owner = undefined;
    this.ctx.timers.cancel(s.timer);
    s.timer = undefined;
    for (const m of [...s.locked]) {
      this.unlock(m);
      this.afterFailedAttempt(m);
    }
    this.updateReady(s);
    this.forgetIdleSession(s.id);
    this.pump();
  }

  private ownedSession(sessionId: string): SessionInfo {
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

  renewSessionLock(sessionId: string): number {
    const s = this.ownedSession(sessionId);
    this.extendSessionLock(s);
    return s.lockedUntil;
  }

  getSessionState(sessionId: string): Buffer | undefined {
    return this.ownedSession(sessionId).state;
  }

  setSessionState(sessionId: string, state: Buffer | undefined): void {
    this.ownedSession(sessionId).state = state;
  }

  /** Drops every message and lock (used by close). */
  clear(): void {
    for (const m of this.all.values()) {
      this.ctx.timers.cancel(m.timer);
      this.ctx.timers.cancel(m.expiryTimer);
    }
    this.all.clear();
    this.locks.clear();
    this.ready.clear();
    this.seqIndex = [];
    this.sessions.clear();
  }
}
