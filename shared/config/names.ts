/**
 * Names of every Azure resource entity the code touches, in one place. Bicep, the emulator
 * topology and the consistency tests are checked against these constants, so a queue or a
 * container is renamed here or nowhere.
 */

/** Service Bus topic that carries order lifecycle events (CloudEvents). */
export const ORDER_EVENTS_TOPIC = "order-events";
/** Subscription on {@link ORDER_EVENTS_TOPIC} that starts the saga; its rule keeps only OrderPlaced. */
export const SAGA_SUBSCRIPTION = "saga";

/** Command queues of the saga participants, and the queue their replies come back on. */
export const QUEUES = {
  inventory: "inventory",
  payments: "payments",
  notifications: "notifications",
  sagaReplies: "saga-replies",
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/**
 * The queue- and topic-triggered functions that carry an accepted order forward: the saga's
 * starter and reply relay, and the three participants. (The orchestrator and its activities
 * are named in shared/saga/names.ts.)
 */
export const MESSAGE_FUNCTIONS = {
  sagaStarter: "sagaStarter",
  sagaReplies: "sagaReplies",
  inventoryWorker: "inventoryWorker",
  paymentWorker: "paymentWorker",
  notificationWorker: "notificationWorker",
} as const;

/** App setting names of the connections that function bindings refer to by name. */
export const CONNECTIONS = {
  serviceBus: "ServiceBusConnection",
  cosmos: "CosmosDbConnection",
  storage: "AzureWebJobsStorage",
  /** Azure SignalR Service: the Functions SignalR bindings' default setting name. */
  signalR: "AzureSignalRConnectionString",
} as const;

/**
 * The SignalR Service hub customers connect to for live order status. The service matches
 * hub names without regard to case and lower-cases them in client URLs.
 */
export const SIGNALR_HUB = "orders";

/** Cosmos DB database and containers, with the partition key each one is created with. */
export const COSMOS_DATABASE_DEFAULT = "orders";

export interface CosmosContainerDefinition {
  readonly id: string;
  readonly partitionKeyPath: string;
  /** -1: TTL on, per-document `ttl` decides; undefined: TTL off. */
  readonly defaultTtl?: number;
}

export const COSMOS_CONTAINERS = {
  /**
   * Orders, their idempotency records and outbox events, partitioned by customer so that a
   * customer's request (place, read, list, cancel) touches exactly one logical partition and
   * the order + idempotency record + outbox event can be written in one transactional batch.
   */
  orders: { id: "orders", partitionKeyPath: "/customerId", defaultTtl: -1 },
  /** Catalog products with their stock counters, one logical partition per SKU. */
  products: { id: "products", partitionKeyPath: "/sku" },
  /** Per-order records of the saga participants (reservations, payments, notifications, order index). */
  ledger: { id: "ledger", partitionKeyPath: "/orderId", defaultTtl: -1 },
} as const satisfies Record<string, CosmosContainerDefinition>;
