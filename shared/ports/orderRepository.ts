import type { Order, StatusChange } from "../domain";
import type { CloudEventAttributes } from "../contracts";

/** An order together with the ETag its next conditional write must match. */
export interface VersionedOrder {
  readonly order: Order;
  readonly etag: string;
}

/** What a {@link OrderRepository.moveStatus} found: the order after it, moved or not. */
export interface StatusMove {
  /** False when the order's status could not move there (or already was there). */
  readonly moved: boolean;
  readonly order: Order;
}

/** The answer a POST /api/orders gave, kept so a replay with the same key gets it again. */
export interface StoredResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** An idempotency record: one per (customer, Idempotency-Key), in the customer's partition. */
export interface IdempotencyRecord {
  readonly key: string;
  /** SHA-256 of the canonical JSON of the validated request body. */
  readonly requestHash: string;
  readonly response: StoredResponse;
  /** ISO time after which the record counts as absent (TTL deletes it in Azure). */
  readonly expiresAt: string;
}

/** A message written in the same batch as the order, published after the commit. */
export interface OutboxEntry {
  readonly eventId: string;
  readonly customerId: string;
  readonly orderId: string;
  /** Queue or topic name. */
  readonly destination: string;
  readonly envelope: CloudEventAttributes & { data: unknown };
  readonly createdAt: string;
}

export interface NewOrderWrite {
  readonly order: Order;
  readonly idempotency?: IdempotencyRecord;
  readonly outbox: OutboxEntry;
  /**
   * Most units the customer may hold across orders in HOLDING_STATUSES, this one included;
   * the write is refused past it, also against concurrent placements of the same customer.
   */
  readonly maxUnitsHeld: number;
}

/** Where an order lives, for the orderId → customer index. */
export type OrderIndexEntry = Pick<OutboxEntry, "orderId" | "customerId" | "createdAt">;

export type PlaceOrderOutcome =
  /**
   * Committed. `indexed` false: the orderId → customer index was not written after the
   * commit; the order's outbox entry is pending, and the relay writes the index before it
   * publishes OrderPlaced, so nothing reads the order by id before it is indexed.
   */
  | { readonly kind: "created"; readonly indexed: boolean }
  /** The customer already holds `held` units: this order would take them past the limit. */
  | { readonly kind: "holdLimitReached"; readonly held: number }
  /** Another request with the same key committed first; here is its record. */
  | { readonly kind: "idempotencyKeyTaken"; readonly existing: IdempotencyRecord };

export interface ListOrdersOptions {
  readonly status?: Order["status"];
  readonly limit: number;
  readonly continuationToken?: string;
}

export interface OrderPage {
  readonly orders: readonly Order[];
  readonly continuationToken: string | null;
}

/**
 * Persistence of orders, their idempotency records and outbox entries. Everything keyed by
 * customer lives in that customer's partition; only {@link OrderRepository.getById} (one
 * point read of an index) and {@link OrderRepository.pendingOutbox} (the relay) reach
 * beyond it.
 */
export interface OrderRepository {
  /** The live record for (customer, key); an expired one counts as absent. */
  findIdempotency(customerId: string, key: string): Promise<IdempotencyRecord | undefined>;
  /**
   * Writes order + idempotency record + outbox entry atomically (one transactional batch),
   * then the order's index entry (only for a committed order: no index without its order).
   */
  placeOrder(write: NewOrderWrite): Promise<PlaceOrderOutcome>;
  /** Writes (again) the orderId → customer index entry; idempotent. */
  indexOrder(entry: OrderIndexEntry): Promise<void>;
  get(customerId: string, orderId: string): Promise<VersionedOrder | undefined>;
  /** Any customer's order, through the orderId → customerId index (admin reads, the saga). */
  getById(orderId: string): Promise<VersionedOrder | undefined>;
  /** Newest first. Throws {@link InvalidContinuationTokenError} for a token it did not issue. */
  list(customerId: string, options: ListOrdersOptions): Promise<OrderPage>;
  /** Conditional on `etag`; throws {@link ConcurrencyConflictError} when the order changed. */
  replace(order: Order, etag: string): Promise<VersionedOrder>;
  /**
   * Moves the order to `change.status` in one conditional write, if its status may move there
   * (the domain's status machine); undefined when there is no such order. A store may answer
   * "not moved" for an order whose status changed while it was asked: the caller asks again.
   */
  moveStatus(
    customerId: string,
    orderId: string,
    change: StatusChange,
  ): Promise<StatusMove | undefined>;
  markOutboxSent(customerId: string, eventId: string, sentAt: Date): Promise<void>;
  /** Unsent outbox entries created before `createdBefore`, oldest first (cross-partition; relay only). */
  pendingOutbox(createdBefore: Date, limit: number): Promise<readonly OutboxEntry[]>;
}

/** The document changed since it was read (HTTP 412 from the store). */
export class ConcurrencyConflictError extends Error {
  constructor(what: string) {
    super(`${what} was changed by someone else; read it again`);
    this.name = "ConcurrencyConflictError";
  }
}

/** A continuation token that this store did not issue, or that was altered. */
export class InvalidContinuationTokenError extends Error {
  constructor() {
    super("the continuation token is not valid");
    this.name = "InvalidContinuationTokenError";
  }
}
