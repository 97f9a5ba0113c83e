import type { z } from "zod";
import { BrokerError, conditions, entityNotFound } from "./brokerError";
import {
  entityNameSchema,
  queuePropertiesSchema,
  subscriptionPropertiesSchema,
  topicPropertiesSchema,
  type QueueProperties,
  type SubscriptionProperties,
  type TopicProperties,
} from "./config";
import { DuplicateDetector } from "./duplicateDetector";
import { durationMs } from "./duration";
import type { QueueEntity, SubscriptionEntity, TopicEntity } from "./entityModel";
import { MessageStore, type StoreContext, type StoreOptions } from "./messageStore";
import { compileRules } from "./ruleFilter";
import { defaultRule, validateRule, type SubscriptionRule } from "./subscriptionRule";

/**
 * Defaults of the official emulator's schema where the topology leaves a property out. The
 * administration API fills in the service's own defaults before it gets here.
 */
const DEFAULTS = {
  lockDuration: "PT1M",
  maxDeliveryCount: 10,
  duplicateWindow: "PT20S",
} as const;

/** Properties the service refuses to change on an existing entity. */
const FIXED = ["RequiresSession", "RequiresDuplicateDetection"] as const;

function badRequest(message: string): BrokerError {
  return new BrokerError(conditions.argumentError, message, 400);
}

function validated<T>(schema: z.ZodType<T>, props: unknown, what: string): T {
  const result = schema.safeParse(props);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw badRequest(`${what}: ${issue?.path.join(".") ?? ""} ${issue?.message ?? "invalid"}`);
}

function checkName(name: string, what: string): void {
  if (!entityNameSchema.safeParse(name).success || name.length > 260) {
    throw badRequest(`The ${what} name '${name}' is not valid.`);
  }
}

function detector(p: TopicProperties): DuplicateDetector | undefined {
  return p.RequiresDuplicateDetection
    ? new DuplicateDetector(
        durationMs(p.DuplicateDetectionHistoryTimeWindow ?? DEFAULTS.duplicateWindow),
      )
    : undefined;
}

function storeOptions(p: SubscriptionProperties, ceilingTtlMs = Infinity): StoreOptions {
  return {
    lockDurationMs: durationMs(p.LockDuration ?? DEFAULTS.lockDuration),
    maxDeliveryCount: p.MaxDeliveryCount ?? DEFAULTS.maxDeliveryCount,
    defaultTtlMs: Math.min(ceilingTtlMs, durationMs(p.DefaultMessageTimeToLive)),
    deadLetterOnExpiration: p.DeadLetteringOnMessageExpiration ?? false,
    requiresSession: p.RequiresSession ?? false,
    forwardTo: p.ForwardTo || undefined,
  };
}

function deadLetterOptions(options: StoreOptions): StoreOptions {
  return {
    ...options,
    maxDeliveryCount: Infinity,
    defaultTtlMs: Infinity,
    deadLetterOnExpiration: false,
    requiresSession: false,
    forwardTo: undefined,
  };
}

/**
 * The queues, topics, subscriptions and rules of the namespace. The topology file and the
 * administration API both go through these methods, so an entity made at run time behaves
 * exactly like one declared in the file. Errors are the service's: 409 for a name in use, 404
 * for a missing entity, 400 for a property it refuses.
 */
export class NamespaceEntities {
  private readonly queues = new Map<string, QueueEntity>();
  private readonly topics = new Map<string, TopicEntity>();
  private readonly deletedListeners: ((stores: readonly MessageStore[]) => void)[] = [];

  constructor(
    private readonly ctx: StoreContext,
    private readonly host: string,
  ) {}

  queue(name: string): QueueEntity | undefined {
    return this.queues.get(name.toLowerCase());
  }

  topic(name: string): TopicEntity | undefined {
    return this.topics.get(name.toLowerCase());
  }

  subscription(topic: string, name: string): SubscriptionEntity | undefined {
    return this.topic(topic)?.subscriptions.get(name.toLowerCase());
  }

  listQueues(): QueueEntity[] {
    return byName([...this.queues.values()]);
  }

  listTopics(): TopicEntity[] {
    return byName([...this.topics.values()]);
  }

  listSubscriptions(topic: string): SubscriptionEntity[] {
    return byName([...this.requireTopic(topic).subscriptions.values()]);
  }

  /** Called with the stores (and dead-letter stores) of every entity deleted, to detach links. */
  onDeleted(listener: (stores: readonly MessageStore[]) => void): void {
    this.deletedListeners.push(listener);
  }

  /** `checkForward` is off for the topology file, which names targets declared later. */
  createQueue(name: string, raw: unknown, checkForward = true): QueueEntity {
    checkName(name, "queue");
    this.claim(name);
    const properties = this.queueProperties(name, raw, checkForward);
    const now = this.ctx.now();
    const entity: QueueEntity = {
      kind: "queue",
      name,
      store: this.createStore(name, storeOptions(properties)),
      duplicates: detector(properties),
      properties,
      createdAt: now,
      updatedAt: now,
    };
    this.queues.set(name.toLowerCase(), entity);
    return entity;
  }

  updateQueue(name: string, raw: unknown): QueueEntity {
    const entity = this.queue(name);
    if (!entity) throw entityNotFound(this.host, name);
    const properties = this.queueProperties(name, raw, true);
    retune(entity, properties);
    entity.properties = properties;
    setStoreOptions(entity.store, storeOptions(properties));
    entity.updatedAt = this.ctx.now();
    return entity;
  }

  deleteQueue(name: string): void {
    const entity = this.queue(name);
    if (!entity) throw entityNotFound(this.host, name);
    this.queues.delete(name.toLowerCase());
    this.dropStores([entity.store]);
  }

  createTopic(name: string, raw: unknown): TopicEntity {
    checkName(name, "topic");
    this.claim(name);
    const properties = validated(topicPropertiesSchema, raw ?? {}, name);
    const now = this.ctx.now();
    const entity: TopicEntity = {
      kind: "topic",
      name,
      subscriptions: new Map(),
      duplicates: detector(properties),
      defaultTtlMs: durationMs(properties.DefaultMessageTimeToLive),
      scheduled: new Map(),
      nextScheduledSeq: 1,
      properties,
      createdAt: now,
      updatedAt: now,
    };
    this.topics.set(name.toLowerCase(), entity);
    return entity;
  }

  updateTopic(name: string, raw: unknown): TopicEntity {
    const entity = this.requireTopic(name);
    const properties = validated(topicPropertiesSchema, raw ?? {}, name);
    retune(entity, properties);
    entity.properties = properties;
    entity.defaultTtlMs = durationMs(properties.DefaultMessageTimeToLive);
    for (const s of entity.subscriptions.values()) {
      setStoreOptions(s.store, storeOptions(s.properties, entity.defaultTtlMs));
    }
    entity.updatedAt = this.ctx.now();
    return entity;
  }

  deleteTopic(name: string): void {
    const entity = this.requireTopic(name);
    this.topics.delete(name.toLowerCase());
    this.dropStores([...entity.subscriptions.values()].map((s) => s.store));
  }

  createSubscription(
    topicName: string,
    name: string,
    raw: unknown,
    rules?: readonly SubscriptionRule[],
    checkForward = true,
  ): SubscriptionEntity {
    const topic = this.requireTopic(topicName);
    checkName(name, "subscription");
    if (topic.subscriptions.has(name.toLowerCase())) {
      throw alreadyExists(this.host, `${topic.name}/Subscriptions/${name}`);
    }
    const properties = this.subscriptionProperties(name, raw, checkForward);
    const now = this.ctx.now();
    const initial = rules && rules.length > 0 ? rules.map(validateRule) : [defaultRule(now)];
    const entity: SubscriptionEntity = {
      kind: "subscription",
      name,
      topic,
      store: this.createStore(
        `${topic.name}/Subscriptions/${name}`,
        storeOptions(properties, topic.defaultTtlMs),
      ),
      rules: initial,
      route: compileRules(initial),
      properties,
      createdAt: now,
      updatedAt: now,
    };
    topic.subscriptions.set(name.toLowerCase(), entity);
    return entity;
  }

  updateSubscription(topicName: string, name: string, raw: unknown): SubscriptionEntity {
    const entity = this.requireSubscription(topicName, name);
    const properties = this.subscriptionProperties(name, raw, true);
    refuseFixedChanges(entity.properties, properties);
    entity.properties = properties;
    setStoreOptions(entity.store, storeOptions(properties, entity.topic.defaultTtlMs));
    entity.updatedAt = this.ctx.now();
    return entity;
  }

  deleteSubscription(topicName: string, name: string): void {
    const entity = this.requireSubscription(topicName, name);
    entity.topic.subscriptions.delete(name.toLowerCase());
    this.dropStores([entity.store]);
  }

  rule(topicName: string, subscription: string, name: string): SubscriptionRule {
    const s = this.requireSubscription(topicName, subscription);
    const rule = s.rules.find((r) => r.name.toLowerCase() === name.toLowerCase());
    if (!rule)
      throw entityNotFound(this.host, `${s.topic.name}/Subscriptions/${s.name}/Rules/${name}`);
    return rule;
  }

  addRule(topicName: string, subscription: string, rule: SubscriptionRule): SubscriptionRule {
    const s = this.requireSubscription(topicName, subscription);
    if (rule.name === "" || rule.name.length > 50)
      throw badRequest(`The rule name '${rule.name}' is not valid.`);
    if (s.rules.some((r) => r.name.toLowerCase() === rule.name.toLowerCase())) {
      throw alreadyExists(this.host, `${s.topic.name}/Subscriptions/${s.name}/Rules/${rule.name}`);
    }
    this.setRules(s, [...s.rules, validateRule(rule)]);
    return rule;
  }

  updateRule(topicName: string, subscription: string, rule: SubscriptionRule): SubscriptionRule {
    const old = this.rule(topicName, subscription, rule.name);
    const s = this.requireSubscription(topicName, subscription);
    const updated = validateRule({ ...rule, createdAt: old.createdAt });
    this.setRules(
      s,
      s.rules.map((r) => (r === old ? updated : r)),
    );
    return updated;
  }

  removeRule(topicName: string, subscription: string, name: string): void {
    const old = this.rule(topicName, subscription, name);
    const s = this.requireSubscription(topicName, subscription);
    this.setRules(
      s,
      s.rules.filter((r) => r !== old),
    );
  }

  /** Every store, with its dead-letter store (close drops them all). */
  allStores(): MessageStore[] {
    const main = [
      ...[...this.queues.values()].map((q) => q.store),
      ...[...this.topics.values()].flatMap((t) =>
        [...t.subscriptions.values()].map((s) => s.store),
      ),
    ];
    return main.flatMap((s) => (s.deadLetterQueue ? [s, s.deadLetterQueue] : [s]));
  }

  private setRules(s: SubscriptionEntity, rules: SubscriptionRule[]): void {
    // Compiled first: a rule that does not compile leaves the subscription as it was.
    const route = compileRules(rules);
    s.rules = rules;
    s.route = route;
    s.updatedAt = this.ctx.now();
  }

  private requireTopic(name: string): TopicEntity {
    const topic = this.topic(name);
    if (!topic) throw entityNotFound(this.host, name);
    return topic;
  }

  private requireSubscription(topic: string, name: string): SubscriptionEntity {
    const s = this.requireTopic(topic).subscriptions.get(name.toLowerCase());
    if (!s) throw entityNotFound(this.host, `${topic}/Subscriptions/${name}`);
    return s;
  }

  /** Queues and topics share one namespace of names. */
  private claim(name: string): void {
    if (this.queue(name) || this.topic(name)) throw alreadyExists(this.host, name);
  }

  private queueProperties(name: string, raw: unknown, checkForward: boolean): QueueProperties {
    return this.withForward(validated(queuePropertiesSchema, raw ?? {}, name), checkForward);
  }

  private subscriptionProperties(
    name: string,
    raw: unknown,
    checkForward: boolean,
  ): SubscriptionProperties {
    return this.withForward(validated(subscriptionPropertiesSchema, raw ?? {}, name), checkForward);
  }

  /** ForwardTo arrives absolute from the SDK (`sb://host/name`); it is kept as the entity name. */
  private withForward<T extends { ForwardTo?: string | undefined }>(p: T, check: boolean): T {
    if (!p.ForwardTo) return p;
    const target = p.ForwardTo.replace(/^(amqps?|sb|https?):\/\/[^/]*\//i, "").replace(/\/+$/, "");
    if (check && !this.queue(target) && !this.topic(target)) {
      throw badRequest(`The entity '${target}' that ForwardTo names could not be found.`);
    }
    return { ...p, ForwardTo: target };
  }

  private createStore(path: string, options: StoreOptions): MessageStore {
    const store = new MessageStore(path, options, this.ctx);
    store.deadLetterQueue = new MessageStore(
      `${path}/$DeadLetterQueue`,
      deadLetterOptions(options),
      this.ctx,
    );
    return store;
  }

  private dropStores(stores: readonly MessageStore[]): void {
    const all = stores.flatMap((s) => (s.deadLetterQueue ? [s, s.deadLetterQueue] : [s]));
    for (const listener of this.deletedListeners) listener(all);
    for (const s of all) s.clear();
  }
}

function byName<T extends { name: string }>(items: T[]): T[] {
  return items.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
}

/** Checks an update against what cannot change, and applies the duplicate-detection window. */
function retune(entity: QueueEntity | TopicEntity, properties: TopicProperties): void {
  refuseFixedChanges(entity.properties, properties);
  const window = properties.DuplicateDetectionHistoryTimeWindow;
  if (entity.duplicates && window) entity.duplicates.windowMs = durationMs(window);
}

function setStoreOptions(store: MessageStore, options: StoreOptions): void {
  store.options = options;
  if (store.deadLetterQueue) store.deadLetterQueue.options = deadLetterOptions(options);
}

function refuseFixedChanges(before: Record<string, unknown>, after: Record<string, unknown>): void {
  for (const key of FIXED) {
    if (Boolean(before[key]) !== Boolean(after[key])) {
      throw badRequest(
        `The value for the ${key} property of an existing entity cannot be changed.`,
      );
    }
  }
}

function alreadyExists(host: string, path: string): BrokerError {
  return new BrokerError(
    conditions.entityAlreadyExists,
    `The messaging entity 'sb://${host}/${path}' already exists. To know more visit https://aka.ms/sbResourceMgrExceptions.`,
    409,
  );
}
