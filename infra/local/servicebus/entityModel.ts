import type { QueueProperties, SubscriptionProperties, TopicProperties } from "./config";
import type { DuplicateDetector } from "./duplicateDetector";
import type { MessageStore } from "./messageStore";
import type { MessageRouter } from "./ruleFilter";
import type { SubscriptionRule } from "./subscriptionRule";

/** When an entity was made and last changed (the management API reports both). */
export interface EntityTimes {
  readonly createdAt: number;
  updatedAt: number;
}

export interface QueueEntity extends EntityTimes {
  readonly kind: "queue";
  readonly name: string;
  readonly store: MessageStore;
  duplicates: DuplicateDetector | undefined;
  /** As declared in the topology or sent to the management API (PascalCase, ISO durations). */
  properties: QueueProperties;
}

export interface SubscriptionEntity extends EntityTimes {
  readonly kind: "subscription";
  readonly name: string;
  readonly topic: TopicEntity;
  readonly store: MessageStore;
  /** In the order they were added; evaluated together by `route`. */
  rules: SubscriptionRule[];
  route: MessageRouter;
  properties: SubscriptionProperties;
}

export interface TopicEntity extends EntityTimes {
  readonly kind: "topic";
  readonly name: string;
  /** By lower-cased name (entity names are case-insensitive, as on the service). */
  readonly subscriptions: Map<string, SubscriptionEntity>;
  duplicates: DuplicateDetector | undefined;
  defaultTtlMs: number;
  /** Scheduled topic messages: topic sequence number -> the subscription copies. */
  readonly scheduled: Map<number, { at: number; copies: { store: MessageStore; seq: number }[] }>;
  nextScheduledSeq: number;
  properties: TopicProperties;
}

/** What an AMQP address points at. */
export type Address =
  | { kind: "queue"; entity: QueueEntity; store: MessageStore }
  | { kind: "topic"; entity: TopicEntity }
  | {
      kind: "subscription";
      entity: TopicEntity;
      subscription: SubscriptionEntity;
      store: MessageStore;
    }
  | { kind: "deadletter"; store: MessageStore };
