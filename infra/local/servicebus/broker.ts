import { randomUUID } from "node:crypto";
import type { Message } from "rhea";
import { BrokerError, conditions, entityNotFound } from "./brokerError";
import type { EmulatorConfig } from "./config";
import type { Address } from "./entityModel";
import type { MessageStore, StoreContext, StoreOptions } from "./messageStore";
import { NamespaceEntities } from "./namespaceEntities";
import { ruleFromConfig } from "./subscriptionRule";
import { TimerQueue } from "./timerQueue";

export type { Address } from "./entityModel";

const DEAD_LETTER_SUFFIX = "/$deadletterqueue";
const SUBSCRIPTIONS = "/subscriptions/";

/** Description of one entity, for the start-up log. */
export interface EntityDescription {
  readonly path: string;
  readonly summary: string;
}

/** All entities of one namespace, and the routing of sent messages between them. */
export interface OperationCounts {
  sends: number;
  deliveries: number;
  settlements: number;
  management: number;
}

export class Broker {
  readonly timers: TimerQueue;
  readonly entities: NamespaceEntities;
  /** The namespace name the topology declares (the management API reports it). */
  readonly namespace: string;
  readonly createdAt: number;
  private readonly ctx: StoreContext;
  /** Messages accepted from senders, per queue or topic (duplicates and forwards excluded). */
  private readonly accepted = new Map<string, number>();
  /**
   * Client operations so far, the way Service Bus bills them ("any API call": each message
   * sent, each delivered, each settled, each management request), for benchmarks.
   */
  readonly operations: OperationCounts = { sends: 0, deliveries: 0, settlements: 0, management: 0 };

  constructor(
    config: EmulatorConfig,
    readonly host: string,
    now: () => number = Date.now,
  ) {
    this.timers = new TimerQueue(now);
    this.ctx = { timers: this.timers, now };
    this.createdAt = now();
    this.entities = new NamespaceEntities(this.ctx, host);
    this.namespace = config.UserConfig.Namespaces[0]?.Name ?? "sbemulatorns";
    // The file was validated as a whole (ForwardTo targets included), so entities are made in
    // file order without checking forward targets one by one.
    for (const ns of config.UserConfig.Namespaces) {
      for (const q of ns.Queues ?? []) this.entities.createQueue(q.Name, q.Properties, false);
      for (const t of ns.Topics ?? []) {
        this.entities.createTopic(t.Name, t.Properties);
        for (const s of t.Subscriptions ?? []) {
          const rules = (s.Rules ?? []).map((r) => ruleFromConfig(r, this.createdAt));
          this.entities.createSubscription(t.Name, s.Name, s.Properties, rules, false);
        }
      }
    }
  }

  /** One line per entity, for the start-up log. */
  describeEntities(): EntityDescription[] {
    const out: EntityDescription[] = [];
    for (const q of this.entities.listQueues()) {
      out.push({
        path: q.name,
        summary: `queue ${describe(q.store.options, q.duplicates !== undefined)}`,
      });
    }
    for (const t of this.entities.listTopics()) {
      const window = t.properties.DuplicateDetectionHistoryTimeWindow;
      out.push({
        path: t.name,
        summary: `topic duplicateDetection=${t.duplicates ? (window ?? `${t.duplicates.windowMs}ms`) : "off"} subscriptions=${t.subscriptions.size}`,
      });
      for (const s of t.subscriptions.values()) {
        const rules = s.rules
          .map((r) =>
            r.filter.kind === "sql"
              ? `${r.name}: ${r.filter.expression}`
              : r.filter.kind === "correlation"
                ? `${r.name}: correlation ${JSON.stringify({ ...r.filter, kind: undefined })}`
                : `${r.name}: ${r.filter.kind === "true" ? "1=1" : "1=0"}`,
          )
          .join("; ");
        out.push({
          path: s.store.path,
          summary: `subscription ${describe(s.store.options, undefined)} rules=[${rules}]`,
        });
      }
    }
    return out;
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
      const topic = this.entities.topic(base.slice(0, sub));
      const s = topic?.subscriptions.get(base.slice(sub + SUBSCRIPTIONS.length));
      if (topic && s) {
        return deadLetter
          ? { kind: "deadletter", store: s.store.deadLetterQueue as MessageStore }
          : { kind: "subscription", entity: topic, subscription: s, store: s.store };
      }
    } else {
      const queue = this.entities.queue(base);
      if (queue) {
        return deadLetter
          ? { kind: "deadletter", store: queue.store.deadLetterQueue as MessageStore }
          : { kind: "queue", entity: queue, store: queue.store };
      }
      const topic = this.entities.topic(base);
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
    for (const s of topic.subscriptions.values()) {
      for (const copy of s.route(message)) {
        for (const seq of this.deliverTo(s.store, copy, scheduledAt, hops)) {
          copies.push({ store: s.store, seq });
        }
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
    for (const store of this.entities.allStores()) store.clear();
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
