import { randomUUID } from "node:crypto";
import type { Message } from "rhea";
import type { EmulatorConfig } from "./config";
import { parseIsoDuration } from "./duration";
import { BrokerError, conditions, entityNotFound } from "./brokerError";
import { MessageStore, type StoreContext, type StoreOptions } from "./messageStore";
import { compileRules, type MessageFilter } from "./ruleFilter";
import { TimerQueue } from "./timerQueue";

/** Defaults of the official emulator's schema where the topology leaves a property out. */
const DEFAULTS = {
  lockDuration: "PT1M",
  maxDeliveryCount: 10,
  duplicateWindow: "PT20S",
} as const;

const DEAD_LETTER_SUFFIX = "/$deadletterqueue";
const SUBSCRIPTIONS = "/subscriptions/";

/** Remembers message ids for the duplicate detection window. */
class DuplicateDetector {
  private readonly seen = new Map<string, number>();
  constructor(private readonly windowMs: number) {}

  /** True when the id was seen within the window; otherwise records it. */
  isDuplicate(id: string, now: number): boolean {
    // Map order is insertion order and the window is constant, so expired ids are at the front.
    for (const [key, expires] of this.seen) {
      if (expires > now) break;
      this.seen.delete(key);
    }
    if (this.seen.has(id)) return true;
    this.seen.set(id, now + this.windowMs);
    return false;
  }
}

interface QueueEntity {
  readonly kind: "queue";
  readonly name: string;
  readonly store: MessageStore;
  readonly duplicates: DuplicateDetector | undefined;
}

interface Subscription {
  readonly name: string;
  readonly store: MessageStore;
  readonly filter: MessageFilter;
}

interface TopicEntity {
  readonly kind: "topic";
  readonly name: string;
  readonly subscriptions: Subscription[];
  readonly duplicates: DuplicateDetector | undefined;
  readonly defaultTtlMs: number;
  /** Scheduled topic messages: topic sequence number -> the subscription copies. */
  readonly scheduled: Map<number, { at: number; copies: { store: MessageStore; seq: number }[] }>;
  nextScheduledSeq: number;
}

/** What an AMQP address points at. */
export type Address =
  | { kind: "queue"; entity: QueueEntity; store: MessageStore }
  | { kind: "topic"; entity: TopicEntity }
  | { kind: "subscription"; entity: TopicEntity; store: MessageStore }
  | { kind: "deadletter"; store: MessageStore };

const ms = (text: string | undefined, fallback: string | undefined): number => {
  const v = text ?? fallback;
  return v === undefined ? Infinity : (parseIsoDuration(v) ?? Infinity);
};

/** Description of one entity, for the start-up log. */
export interface EntityDescription {
  readonly path: string;
  readonly summary: string;
}

/** All entities of one namespace, and the routing of sent messages between them. */
export class Broker {
  readonly timers: TimerQueue;
  private readonly queues = new Map<string, QueueEntity>();
  private readonly topics = new Map<string, TopicEntity>();
  readonly entities: EntityDescription[] = [];
  private readonly ctx: StoreContext;
  /** Messages accepted from senders, per queue or topic (duplicates and forwards excluded). */
  private readonly accepted = new Map<string, number>();

  constructor(
    config: EmulatorConfig,
    readonly host: string,
    now: () => number = Date.now,
  ) {
    this.timers = new TimerQueue(now);
    this.ctx = { timers: this.timers, now };
    for (const ns of config.UserConfig.Namespaces) {
      for (const q of ns.Queues ?? []) {
        const p = q.Properties ?? {};
        const options: StoreOptions = {
          lockDurationMs: ms(p.LockDuration, DEFAULTS.lockDuration),
          maxDeliveryCount: p.MaxDeliveryCount ?? DEFAULTS.maxDeliveryCount,
          defaultTtlMs: ms(p.DefaultMessageTimeToLive, undefined),
          deadLetterOnExpiration: p.DeadLetteringOnMessageExpiration ?? false,
          requiresSession: p.RequiresSession ?? false,
          forwardTo: p.ForwardTo || undefined,
        };
        const store = this.createStore(q.Name, options);
        this.queues.set(q.Name.toLowerCase(), {
          kind: "queue",
          name: q.Name,
          store,
          duplicates: p.RequiresDuplicateDetection
            ? new DuplicateDetector(
                ms(p.DuplicateDetectionHistoryTimeWindow, DEFAULTS.duplicateWindow),
              )
            : undefined,
        });
        this.entities.push({
          path: q.Name,
          summary: `queue ${describe(options, p.RequiresDuplicateDetection)}`,
        });
      }
      for (const t of ns.Topics ?? []) {
        const p = t.Properties ?? {};
        const topicTtl = ms(p.DefaultMessageTimeToLive, undefined);
        const topic: TopicEntity = {
          kind: "topic",
          name: t.Name,
          subscriptions: [],
          duplicates: p.RequiresDuplicateDetection
            ? new DuplicateDetector(
                ms(p.DuplicateDetectionHistoryTimeWindow, DEFAULTS.duplicateWindow),
              )
            : undefined,
          defaultTtlMs: topicTtl,
          scheduled: new Map(),
          nextScheduledSeq: 1,
        };
        this.topics.set(t.Name.toLowerCase(), topic);
        this.entities.push({
          path: t.Name,
          summary: `topic duplicateDetection=${p.RequiresDuplicateDetection ? (p.DuplicateDetectionHistoryTimeWindow ?? DEFAULTS.duplicateWindow) : "off"} subscriptions=${(t.Subscriptions ?? []).length}`,
        });
        for (const s of t.Subscriptions ?? []) {
          const sp = s.Properties ?? {};
          const options: StoreOptions = {
            lockDurationMs: ms(sp.LockDuration, DEFAULTS.lockDuration),
            maxDeliveryCount: sp.MaxDeliveryCount ?? DEFAULTS.maxDeliveryCount,
            defaultTtlMs: Math.min(topicTtl, ms(sp.DefaultMessageTimeToLive, undefined)),
            deadLetterOnExpiration: sp.DeadLetteringOnMessageExpiration ?? false,
            requiresSession: sp.RequiresSession ?? false,
            forwardTo: sp.ForwardTo || undefined,
          };
          const path = `${t.Name}/Subscriptions/${s.Name}`;
          topic.subscriptions.push({
            name: s.Name,
            store: this.createStore(path, options),
            filter: compileRules(s.Rules),
          });
          const rules = (s.Rules ?? [])
            .map((r) =>
              r.Properties.FilterType === "Sql"
                ? `${r.Name}: ${r.Properties.SqlFilter?.SqlExpression ?? ""}`
                : `${r.Name}: correlation ${JSON.stringify(r.Properties.CorrelationFilter)}`,
            )
            .join("; ");
          this.entities.push({
            path,
            summary: `subscription ${describe(options, undefined)} rules=[${rules || "$Default: 1=1"}]`,
          });
        }
      }
    }
  }

  private createStore(path: string, options: StoreOptions): MessageStore {
    const store = new MessageStore(path, options, this.ctx);
    store.deadLetterQueue = new MessageStore(
      `${path}/$DeadLetterQueue`,
      {
        ...options,
        maxDeliveryCount: Infinity,
        defaultTtlMs: Infinity,
        deadLetterOnExpiration: false,
        requiresSession: false,
        forwardTo: undefined,
      },
      this.ctx,
    );
    return store;
  }

  /** Resolves an entity path as the SDK writes it (case-insensitive, as the service is). */
  resolve(rawPath: string): Address {
    const path = normalizePath(rawPath, this.host);
    const lower = path.toLowerCase();
    let base = lower;
    let deadLetter = false;
    if (lower.endsWith(DEAD_LETTER_SUFFIX)) {
      base = lower.slice(0, -DEAD_LETTER_SUFFIX.length);
      deadLetter = true;
    }
    const sub = base.indexOf(SUBSCRIPTIONS);
    if (sub >= 0) {
      const topic = this.topics.get(base.slice(0, sub));
      const name = base.slice(sub + SUBSCRIPTIONS.length);
      const s = topic?.subscriptions.find((x) => x.name.toLowerCase() === name);
      if (topic && s) {
        return deadLetter
          ? { kind: "deadletter", store: s.store.deadLetterQueue as MessageStore }
          : { kind: "subscription", entity: topic, store: s.store };
      }
    } else {
      const queue = this.queues.get(base);
      if (queue) {
        return deadLetter
          ? { kind: "deadletter", store: queue.store.deadLetterQueue as MessageStore }
          : { kind: "queue", entity: queue, store: queue.store };
      }
      const topic = this.topics.get(base);
      if (topic && !deadLetter) return { kind: "topic", entity: topic };
    }
    throw entityNotFound(this.host, path);
  }

  /** Messages accepted from senders so far, by queue or topic name (for benchmarks). */
  acceptedMessages(): Record<string, number> {
    return Object.fromEntries(this.accepted);
  }

  /**
   * Accepts a message sent to a queue or topic. Returns the sequence numbers it got (one per
   * copy; empty for a detected duplicate or a topic message no subscription wanted).
   */
  send(path: string, message: Message, scheduledAt?: number, hops = 0): number[] {
    const address = this.resolve(path);
    if (address.kind !== "queue" && address.kind !== "topic") {
      throw new BrokerError(
        conditions.notAllowed,
        `Cannot send to '${path}': not a queue or topic.`,
        400,
      );
    }
    const now = this.ctx.now();
    if (message.message_id === undefined || message.message_id === null) {
      // The service gives every message an id; the SDK's lock renewal relies on one.
      message.message_id = randomUUID().replace(/-/g, "");
    }
    const id = message.message_id;
    if (address.entity.duplicates && id !== undefined && id !== null) {
      if (address.entity.duplicates.isDuplicate(String(id), now)) return [];
    }
    if (hops === 0) {
      this.accepted.set(address.entity.name, (this.accepted.get(address.entity.name) ?? 0) + 1);
    }
    if (address.kind === "queue") {
      if (address.store.options.requiresSession && (message.group_id ?? "") === "") {
        throw new BrokerError(
          conditions.notAllowed,
          `The SessionId was not set on a message, and it cannot be sent to the entity '${address.entity.name}'. Entities that have session support enabled can only receive messages that have the SessionId set.`,
        );
      }
      return this.deliverTo(address.store, message, scheduledAt, hops);
    }
    const topic = address.entity;
    const copies: { store: MessageStore; seq: number }[] = [];
    for (const s of topic.subscriptions) {
      if (!s.filter(message)) continue;
      for (const seq of this.deliverTo(s.store, message, scheduledAt, hops)) {
        copies.push({ store: s.store, seq });
      }
    }
    if (scheduledAt === undefined || scheduledAt <= now) return copies.map((c) => c.seq);
    // A scheduled topic message is cancelled by one topic-level sequence number.
    // Entries whose time has come can no longer be cancelled; drop them (scheduling is rare).
    for (const [seq, entry] of topic.scheduled) if (entry.at <= now) topic.scheduled.delete(seq);
    const topicSeq = topic.nextScheduledSeq++;
    topic.scheduled.set(topicSeq, { at: scheduledAt, copies });
    return [topicSeq];
  }

  private deliverTo(
    store: MessageStore,
    message: Message,
    scheduledAt: number | undefined,
    hops: number,
  ): number[] {
    if (store.options.forwardTo && hops < 4) {
      return this.send(store.options.forwardTo, message, scheduledAt, hops + 1);
    }
    const opts = scheduledAt === undefined ? {} : { scheduledAt };
    return [store.enqueue(message, opts)];
  }

  cancelScheduled(path: string, seqs: readonly number[]): void {
    const address = this.resolve(path);
    for (const seq of seqs) {
      if (address.kind === "topic") {
        for (const c of address.entity.scheduled.get(seq)?.copies ?? []) {
          c.store.cancelScheduled(c.seq);
        }
        address.entity.scheduled.delete(seq);
      } else if (address.kind === "queue") {
        address.store.cancelScheduled(seq);
      }
    }
  }

  close(): void {
    this.timers.close();
    for (const q of this.queues.values()) {
      q.store.clear();
      q.store.deadLetterQueue?.clear();
    }
    for (const t of this.topics.values()) {
      for (const s of t.subscriptions) {
        s.store.clear();
        s.store.deadLetterQueue?.clear();
      }
    }
  }
}

function describe(o: StoreOptions, duplicates: boolean | undefined): string {
  const parts = [
    `lock=${o.lockDurationMs}ms`,
    `maxDelivery=${o.maxDeliveryCount}`,
    `ttl=${Number.isFinite(o.defaultTtlMs) ? `${o.defaultTtlMs}ms` : "none"}`,
    `deadLetterOnExpiration=${o.deadLetterOnExpiration}`,
    `sessions=${o.requiresSession}`,
  ];
  if (duplicates !== undefined) parts.push(`duplicateDetection=${duplicates}`);
  if (o.forwardTo) parts.push(`forwardTo=${o.forwardTo}`);
  return parts.join(" ");
}

/** Strips `sb://host/` and slashes the SDK or other clients may put around an entity path. */
export function normalizePath(raw: string, host: string): string {
  let p = raw.replace(/^(amqps?|sb):\/\/[^/]*\//i, "");
  if (p.startsWith(host + "/")) p = p.slice(host.length + 1);
  return p.replace(/^\/+|\/+$/g, "");
}
