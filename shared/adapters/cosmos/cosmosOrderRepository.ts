import type { Container, JSONObject, OperationInput, SqlParameter } from "@azure/cosmos";
import { BulkOperationType } from "@azure/cosmos";
import { orderFromDocument, unitsOf } from "../../domain";
import type { Order, StatusChange } from "../../domain";
import {
  ConcurrencyConflictError,
  type IdempotencyRecord,
  type ListOrdersOptions,
  type NewOrderWrite,
  type OrderIndexEntry,
  type OrderPage,
  type OrderRepository,
  type OutboxEntry,
  type PlaceOrderOutcome,
  type StatusMove,
  type VersionedOrder,
} from "../../ports/orderRepository";
import type { Clock } from "../../ports/clock";
import { isNotFound, isPreconditionFailed, isStorableId } from "./cosmosErrors";
import { countHoldings, readHoldGuard } from "./customerHoldings";
import { BatchFailedError, runBatch } from "./transactionalBatch";
import { jitteredBackoff } from "./jitteredBackoff";
import {
  ORDER_DOC_KINDS,
  ORDER_INDEX_ID,
  holdGuardWrite,
  idempotencyClaim,
  idempotencyDocumentId,
  orderSortKey,
  outboxDocumentId,
  recordOf,
  toOrderDocument,
  type IdempotencyDocument,
  type OrderDocument,
  type OrderIndexDocument,
  type OutboxDocument,
} from "./orderDocuments";
import { decodePageToken, encodePageToken } from "./pageToken";
import { markOutboxSent, pendingOutbox } from "./cosmosOutbox";
import { moveOrderStatus } from "./cosmosOrderStatus";

export interface CosmosOrderRepositoryOptions {
  readonly orders: Container;
  readonly ledger: Container;
  readonly clock: Clock;
  /** Cosmos `ttl` of idempotency records, seconds. */
  readonly idempotencyTtlInSeconds: number;
  /** Cosmos `ttl` of outbox entries once sent, seconds. */
  readonly sentOutboxTtlInSeconds: number;
}

/**
 * Racing placements of one customer retry until one commits per round. With ten at once a
 * request can lose several rounds in a row: the jittered backoff spreads them over up to a
 * second, and thirty rounds make exhaustion (then 503) negligible.
 */
const MAX_PLACE_ATTEMPTS = 30;
const placeBackoff = jitteredBackoff(25, 1000);

export class CosmosOrderRepository implements OrderRepository {
  constructor(private readonly options: CosmosOrderRepositoryOptions) {}

  async findIdempotency(customerId: string, key: string): Promise<IdempotencyRecord | undefined> {
    const document = await this.readIdempotency(customerId, key);
    if (document === undefined || this.isExpired(document)) return undefined;
    return recordOf(document);
  }

  async placeOrder(write: NewOrderWrite): Promise<PlaceOrderOutcome> {
    const { order, idempotency, outbox } = write;
    const outboxDocument: OutboxDocument = {
      ...outbox,
      id: outboxDocumentId(outbox.eventId),
      kind: ORDER_DOC_KINDS.outbox,
      status: "pending",
    };
    const writes: OperationInput[] = [
      { operationType: BulkOperationType.Create, resourceBody: asJson(toOrderDocument(order)) },
      { operationType: BulkOperationType.Create, resourceBody: asJson(outboxDocument) },
    ];
    const record: IdempotencyDocument | undefined =
      idempotency === undefined
        ? undefined
        : {
            ...idempotency,
            id: idempotencyDocumentId(idempotency.key),
            kind: ORDER_DOC_KINDS.idempotency,
            customerId: order.customerId,
            ttl: this.options.idempotencyTtlInSeconds,
          };
    // The common case, a new key, costs no read: the Create itself detects a taken key.
    let claim = record === undefined ? undefined : idempotencyClaim(record, undefined);
    const units = unitsOf(order.items);
    for (let attempt = 1; ; attempt++) {
      // The guard's ETag, read before any count, makes the check and the write one step: a
      // placement of the same customer committed in between changes it, and this batch then
      // fails and checks again. Its bound spares the count while it leaves room
      // (customerHoldings.ts).
      const guard = await readHoldGuard(this.options.orders, order.customerId);
      let bound = guard?.unitsHeldAtMost;
      if (bound === undefined || bound + units > write.maxUnitsHeld) {
        const { held, mayHold } = await countHoldings(this.options.orders, order.customerId);
        if (held + units > write.maxUnitsHeld) {
          // A retry of an order already placed under its key replays, whatever it holds now.
          const taken = record === undefined ? undefined : await this.liveRecord(record);
          if (taken !== undefined) return { kind: "idempotencyKeyTaken", existing: taken };
          return { kind: "holdLimitReached", held };
        }
        bound = mayHold;
      }
      // The guard goes first and the claim second: they are the operations that can
      // conflict, and the local server (unlike Cosmos DB) does not roll back the operations
      // before a failed one; a guard bumped for nothing is harmless.
      const operations = [
        holdGuardWrite(order.customerId, guard?.etag, bound + units),
        ...(claim ? [claim] : []),
        ...writes,
      ];
      try {
        await runBatch(this.options.orders, operations, order.customerId);
        return { kind: "created", indexed: await this.tryIndex(order) };
      } catch (error) {
        const status = error instanceof BatchFailedError ? error.statusCode : undefined;
        if (status !== 409 && status !== 412) throw error;
        // Still contended after every attempt: answered as a busy store (503, Retry-After).
        if (attempt >= MAX_PLACE_ATTEMPTS) throw new BatchFailedError(503);
      }
      if (record !== undefined) {
        const existing = await this.readIdempotency(order.customerId, record.key);
        if (existing !== undefined && !this.isExpired(existing)) {
          // Used before (or a concurrent request with the key won the race): its answer stands.
          return { kind: "idempotencyKeyTaken", existing: recordOf(existing) };
        }
        // Expired but not yet deleted (the local server ignores TTL): take it over under its
        // ETag; deleted meanwhile: create it again.
        claim = idempotencyClaim(record, existing?._etag);
      }
      await placeBackoff(attempt);
    }
  }

  /**
   * The index lives in the ledger (partition /orderId), so it cannot join the order's
   * batch. It is written only after the batch committed, so a placement that lost (a taken
   * key, the hold limit, a conflict) leaves no index behind. An upsert: the outbox relay
   * writes it again before publishing (docs/guarantees.md, guarantee 1).
   */
  async indexOrder(entry: OrderIndexEntry): Promise<void> {
    const index: OrderIndexDocument = {
      id: ORDER_INDEX_ID,
      kind: "orderIndex",
      orderId: entry.orderId,
      customerId: entry.customerId,
      createdAt: entry.createdAt,
    };
    await this.options.ledger.items.upsert(index);
  }

  async get(customerId: string, orderId: string): Promise<VersionedOrder | undefined> {
    // Only the id is restricted; a partition key value may hold any character.
    if (!isStorableId(orderId)) return undefined;
    try {
      const { resource, etag } = await this.options.orders
        .item(orderId, customerId)
        .read<OrderDocument>();
      if (resource === undefined || resource.kind !== ORDER_DOC_KINDS.order) return undefined;
      return { order: orderFromDocument(resource), etag };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async getById(orderId: string): Promise<VersionedOrder | undefined> {
    if (!isStorableId(orderId)) return undefined;
    try {
      const { resource } = await this.options.ledger
        .item(ORDER_INDEX_ID, orderId)
        .read<OrderIndexDocument>();
      if (resource === undefined) return undefined;
      return await this.get(resource.customerId, orderId);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async list(customerId: string, options: ListOrdersOptions): Promise<OrderPage> {
    const after =
      options.continuationToken === undefined
        ? undefined
        : decodePageToken("orders", options.continuationToken);
    const filters = ["c.customerId = @customerId", "c.kind = @kind"];
    const parameters: SqlParameter[] = [
      { name: "@customerId", value: customerId },
      { name: "@kind", value: ORDER_DOC_KINDS.order },
    ];
    if (options.status !== undefined) {
      filters.push("c.status = @status");
      parameters.push({ name: "@status", value: options.status });
    }
    if (after !== undefined) {
      filters.push("c.sortKey < @after");
      parameters.push({ name: "@after", value: after });
    }
    // limit is a validated integer 1..100; one extra row tells whether a next page exists.
    const top = Math.trunc(options.limit) + 1;
    const query = `SELECT TOP ${top} * FROM c WHERE ${filters.join(" AND ")} ORDER BY c.sortKey DESC`;
    const { resources } = await this.options.orders.items
      .query<OrderDocument>({ query, parameters }, { partitionKey: customerId, maxItemCount: top })
      .fetchAll();
    const page = resources.slice(0, options.limit).map((document) => orderFromDocument(document));
    const last = page[page.length - 1];
    const hasMore = resources.length > options.limit && last !== undefined;
    return {
      orders: page,
      continuationToken: hasMore ? encodePageToken("orders", orderSortKey(last)) : null,
    };
  }

  async replace(order: Order, etag: string): Promise<VersionedOrder> {
    try {
      const { resource, etag: newEtag } = await this.options.orders
        .item(order.orderId, order.customerId)
        .replace<OrderDocument>(toOrderDocument(order), {
          accessCondition: { type: "IfMatch", condition: etag },
        });
      return { order: orderFromDocument(resource), etag: newEtag };
    } catch (error) {
      if (isPreconditionFailed(error)) throw new ConcurrencyConflictError(`order ${order.orderId}`);
      throw error;
    }
  }

  moveStatus(
    customerId: string,
    orderId: string,
    change: StatusChange,
  ): Promise<StatusMove | undefined> {
    return moveOrderStatus(this.options.orders, customerId, orderId, change, () =>
      this.get(customerId, orderId),
    );
  }

  markOutboxSent(customerId: string, eventId: string, sentAt: Date): Promise<void> {
    return markOutboxSent(this.options.orders, {
      customerId,
      eventId,
      sentAt,
      ttlInSeconds: this.options.sentOutboxTtlInSeconds,
    });
  }

  pendingOutbox(createdBefore: Date, limit: number): Promise<readonly OutboxEntry[]> {
    return pendingOutbox(this.options.orders, createdBefore, limit);
  }

  private async readIdempotency(
    customerId: string,
    key: string,
  ): Promise<(IdempotencyDocument & { _etag: string }) | undefined> {
    try {
      const { resource } = await this.options.orders
        .item(idempotencyDocumentId(key), customerId)
        .read<IdempotencyDocument & { _etag: string }>();
      return resource;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private async liveRecord(record: IdempotencyDocument): Promise<IdempotencyRecord | undefined> {
    const existing = await this.readIdempotency(record.customerId, record.key);
    return existing === undefined || this.isExpired(existing) ? undefined : recordOf(existing);
  }

  /** Committed already: a failed index write is left to the relay rather than failing the request. */
  private async tryIndex(order: Order): Promise<boolean> {
    try {
      await this.indexOrder(order);
      return true;
    } catch {
      return false;
    }
  }

  private isExpired(record: IdempotencyRecord): boolean {
    return Date.parse(record.expiresAt) <= this.options.clock.now().getTime();
  }
}

/** Documents here are plain JSON data by construction (zod-validated or built from it). */
function asJson(document: object): JSONObject {
  return document as JSONObject;
}
