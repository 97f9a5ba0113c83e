import { createHash } from "node:crypto";
import type { JSONObject, OperationInput } from "@azure/cosmos";
import { BulkOperationType } from "@azure/cosmos";
import type { Order } from "../../domain";
import type { IdempotencyRecord, OutboxEntry } from "../../ports/orderRepository";

/**
 * The documents of the `orders` container (partition key /customerId). Three kinds share
 * the partition so that one transactional batch can write all three for a new order.
 */
export const ORDER_DOC_KINDS = {
  order: "order",
  idempotency: "idempotency",
  outbox: "outbox",
  holdGuard: "holdGuard",
} as const;

/** The order itself; `id` = orderId. `sortKey` = createdAt|orderId orders the customer's list. */
export interface OrderDocument extends Order {
  readonly id: string;
  readonly kind: typeof ORDER_DOC_KINDS.order;
  readonly sortKey: string;
}

/**
 * `id` = "idempotency:" + SHA-256 of the client's key: keys may hold characters Cosmos ids
 * refuse ('/', '#', '?', '\\'), and hashing gives a fixed length. The key itself is kept
 * for operators. `ttl` lets Cosmos delete it; `expiresAt` is the rule the code applies, so
 * a store that ignores TTL (the local server) behaves the same.
 */
export interface IdempotencyDocument extends IdempotencyRecord {
  readonly id: string;
  readonly kind: typeof ORDER_DOC_KINDS.idempotency;
  readonly customerId: string;
  readonly ttl: number;
}

export type OutboxStatus = "pending" | "sent";

/** `id` = "outbox:" + eventId. Once sent it gets a `ttl` and disappears. */
export interface OutboxDocument extends OutboxEntry {
  readonly id: string;
  readonly kind: typeof ORDER_DOC_KINDS.outbox;
  readonly status: OutboxStatus;
  readonly sentAt?: string;
  readonly ttl?: number;
}

/**
 * One per customer, `id` = "hold-guard": it holds nothing, its ETag is the point. Every new
 * order's batch writes it under the ETag read before the customer's holdings were counted,
 * so two placements that counted the same holdings cannot both commit.
 */
export interface HoldGuardDocument {
  readonly id: typeof HOLD_GUARD_ID;
  readonly kind: typeof ORDER_DOC_KINDS.holdGuard;
  readonly customerId: string;
  /**
   * At least the units the customer's orders hold or may hold again (customerHoldings.ts);
   * absent on a guard written before it was kept, which the next placement counts afresh.
   */
  readonly unitsHeldAtMost?: number;
}
export const HOLD_GUARD_ID = "hold-guard";

/**
 * The batch operation that claims an idempotency key: Create for a new key, or Replace under
 * the ETag of an expired record the store has not deleted yet (the local server ignores TTL).
 */
export function idempotencyClaim(
  record: IdempotencyDocument,
  expiredEtag: string | undefined,
): OperationInput {
  // Plain JSON by construction: the record's response body is the validated 202 body.
  const resourceBody = { ...record } as unknown as JSONObject;
  return expiredEtag === undefined
    ? { operationType: BulkOperationType.Create, resourceBody }
    : {
        operationType: BulkOperationType.Replace,
        id: record.id,
        partitionKey: record.customerId,
        ifMatch: expiredEtag,
        resourceBody,
      };
}

/** The batch operation that writes the guard: Create when absent, else Replace under its ETag. */
export function holdGuardWrite(
  customerId: string,
  etag: string | undefined,
  unitsHeldAtMost: number,
): OperationInput {
  const resourceBody = {
    id: HOLD_GUARD_ID,
    kind: ORDER_DOC_KINDS.holdGuard,
    customerId,
    unitsHeldAtMost,
  } satisfies HoldGuardDocument;
  return etag === undefined
    ? { operationType: BulkOperationType.Create, resourceBody }
    : {
        operationType: BulkOperationType.Replace,
        id: HOLD_GUARD_ID,
        partitionKey: customerId,
        ifMatch: etag,
        resourceBody,
      };
}

/** ledger container (partition /orderId): where an order lives, for reads by id alone. */
export interface OrderIndexDocument {
  readonly id: typeof ORDER_INDEX_ID;
  readonly kind: "orderIndex";
  readonly orderId: string;
  readonly customerId: string;
  readonly createdAt: string;
}
export const ORDER_INDEX_ID = "order-index";

export function orderSortKey(order: Pick<Order, "createdAt" | "orderId">): string {
  return `${order.createdAt}|${order.orderId}`;
}

export function toOrderDocument(order: Order): OrderDocument {
  return {
    ...structuredClone(order),
    id: order.orderId,
    kind: ORDER_DOC_KINDS.order,
    sortKey: orderSortKey(order),
  };
}

export function idempotencyDocumentId(key: string): string {
  return `idempotency:${createHash("sha256").update(key, "utf8").digest("hex")}`;
}

export function outboxDocumentId(eventId: string): string {
  return `outbox:${eventId}`;
}

/** The record an idempotency document keeps, without its storage fields. */
export function recordOf(document: IdempotencyDocument): IdempotencyRecord {
  return {
    key: document.key,
    requestHash: document.requestHash,
    response: document.response,
    expiresAt: document.expiresAt,
  };
}
