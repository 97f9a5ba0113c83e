import { randomUUID } from "node:crypto";
import type { Message } from "rhea";
import { BrokerError, conditions, lockLost } from "./brokerError";
import type { Consumer } from "./consumer";
import { ConsumerRing } from "./consumerRing";
import { DEAD_LETTER, deadLetteredCopy } from "./deadLetteredCopy";
import { MessageTable } from "./messageTable";
import { MinHeap } from "./minHeap";
import { SessionTable, bySeq, type SessionInfo } from "./sessionTable";
import type { StoreContext, StoreOptions } from "./storeOptions";
import { newStoredMessage, type StoredMessage } from "./storedMessage";

export type { Consumer } from "./consumer";
export type { StoreContext, StoreOptions } from "./storeOptions";
export { DEAD_LETTER } from "./deadLetteredCopy";

/**
 * A queue, a subscription or a dead-letter sub-queue: every message in sequence order, a
 * min-heap of the ones ready for delivery (per session on session entities), and locks by
 * token. Delivery pops the heap (O(log n)); settling finds the lock by token (O(1)); no
 * operation on the delivery path scans the messages.
 *
 * Delivery count: a message goes out with the number of deliveries before this one (the AMQP
 * header's delivery-count; the service sends 0 on the first receive), and the count grows
 * once the delivery is written, on every path that hands a message out: receive, receive by
 * sequence number (deferred messages) and session receives alike.
 */
export class MessageStore {
  private nextSeq = 1;
  private readonly all = new MessageTable();
  private readonly ready = new MinHeap<StoredMessage>(bySeq);
  private readonly locks = new Map<string, StoredMessage>();
  private readonly consumers = new ConsumerRing();
  /** Session locks and state (session entities); the AMQP and $management layers use it directly. */
  readonly sessions: SessionTable;
  private pumping = false;
  private pumpAgain = false;
  deadLetterQueue: MessageStore | undefined;

  constructor(
    readonly path: string,
    /**
     * The entity's settings. An update through the administration API replaces them; they
     * apply to what happens next (new locks, new messages, the next failed delivery).
     */
    public options: StoreOptions,
    private readonly ctx: StoreContext,
  ) {
    this.sessions = new SessionTable(
      ctx,
      () => this.options.lockDurationMs,
      (s, owner) => {
        this.releaseSession(s);
        owner.sessionLost?.();
      },
    );
  }

  get messageCount(): number {
    return this.all.size;
  }

  /** Every live message (for counts and session listings; not on the delivery path). */
  messages(): IterableIterator<StoredMessage> {
    return this.all.values();
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
    const m = newStoredMessage(seq, message, enqueuedAt, {
      expiresAt: opts.keepTtl === false ? Infinity : enqueuedAt + ttl,
      sessionId: this.options.requiresSession ? String(message.group_id ?? "") : undefined,
      deliveryCount: opts.deliveryCount ?? 0,
    });
    this.all.add(m);
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
    this.consumers.add(c);
  }

  removeConsumer(c: Consumer): void {
    this.consumers.remove(c);
    const s = this.sessions.ownedBy(c);
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
    while (this.ready.size > 0) {
      const consumer = this.consumers.nextWithCredit();
      if (!consumer) return;
      const m = this.popReady(this.ready);
      if (!m) return;
      this.handOut(consumer, m, undefined);
    }
  }

  private pumpSessions(): void {
    for (const [consumer, session] of this.sessions.owned()) {
      while (consumer.credit() > 0) {
        const m = this.popReady(session.ready);
        if (!m) break;
        this.handOut(consumer, m, session);
      }
      this.sessions.updateReady(session);
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
    if (m.sessionId !== undefined) this.sessions.find(m.sessionId)?.locked.delete(m);
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
    const s = this.sessions.get(m.sessionId);
    s.ready.push(m);
    this.sessions.updateReady(s);
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
    if (m.sessionId !== undefined) this.sessions.forgetIfIdle(m.sessionId);
  }

  private deadLetter(
    m: StoredMessage,
    reason: string | undefined,
    description: string | undefined,
  ): void {
    this.remove(m);
    this.deadLetterQueue?.enqueue(deadLetteredCopy(m.message, reason, description), {
      deliveryCount: m.deliveryCount,
      keepTtl: false,
    });
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

  /**
   * Hands deferred messages out by sequence number, locked (or, in receiveAndDelete mode,
   * removed): `deliver` writes each one, then its delivery count grows, as on a receive.
   */
  receiveDeferred(
    seqs: readonly number[],
    receiveAndDelete: boolean,
    deliver: (m: StoredMessage, lockToken: string | undefined) => void,
  ): void {
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
    for (const m of found) {
      if (receiveAndDelete) {
        this.remove(m);
        deliver(m, undefined);
        continue;
      }
      // A deferred message is settled through $management, so its lock is a plain timed lock.
      const token = this.lock(m, undefined);
      deliver(m, token);
      m.deliveryCount++;
    }
  }

  /** Messages from a sequence number on, in order, without locking them (dead ones excluded). */
  peek(fromSeq: number, count: number, sessionId?: string): StoredMessage[] {
    return this.all.peek(fromSeq, count, sessionId);
  }

  private releaseSession(s: SessionInfo): void {
    this.sessions.detachOwner(s);
    for (const m of [...s.locked]) {
      this.unlock(m);
      this.afterFailedAttempt(m);
    }
    this.sessions.updateReady(s);
    this.sessions.forgetIfIdle(s.id);
    this.pump();
  }

  /** Drops every message and lock (used by close and by deleting the entity). */
  clear(): void {
    for (const m of this.all.values()) {
      this.ctx.timers.cancel(m.timer);
      this.ctx.timers.cancel(m.expiryTimer);
    }
    this.all.clear();
    this.locks.clear();
    this.ready.clear();
    this.sessions.clear();
  }
}
