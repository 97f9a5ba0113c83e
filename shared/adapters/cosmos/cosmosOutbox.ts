import type { Container } from "@azure/cosmos";
import type { OutboxEntry } from "../../ports";
import { isNotFound } from "./cosmosErrors";
import { ORDER_DOC_KINDS, outboxDocumentId, type OutboxDocument } from "./orderDocuments";

/**
 * The outbox documents in the orders container: the OrderPlaced event written in the order's
 * batch, marked sent once published (inline, or by the relay that finds what was not).
 */

export async function markOutboxSent(
  orders: Container,
  sent: {
    readonly customerId: string;
    readonly eventId: string;
    readonly sentAt: Date;
    readonly ttlInSeconds: number;
  },
): Promise<void> {
  const item = orders.item(outboxDocumentId(sent.eventId), sent.customerId);
  try {
    // Patch, not replace: marking sent twice (inline publish and relay) is harmless.
    await item.patch([
      { op: "set", path: "/status", value: "sent" },
      { op: "set", path: "/sentAt", value: sent.sentAt.toISOString() },
      { op: "set", path: "/ttl", value: sent.ttlInSeconds },
    ]);
  } catch (error) {
    // Already expired and deleted: nothing is left to mark.
    if (!isNotFound(error)) throw error;
  }
}

export async function pendingOutbox(
  orders: Container,
  createdBefore: Date,
  limit: number,
): Promise<readonly OutboxEntry[]> {
  // A cross-partition query, acceptable for the timer-driven relay alone: it runs once a
  // minute off the request path, and pending entries are rare (only after a failed publish).
  const top = Math.max(1, Math.trunc(limit));
  const { resources } = await orders.items
    .query<OutboxDocument>({
      query: `SELECT TOP ${top} * FROM c WHERE c.kind = @kind AND c.status = @status AND c.createdAt < @before ORDER BY c.createdAt ASC`,
      parameters: [
        { name: "@kind", value: ORDER_DOC_KINDS.outbox },
        { name: "@status", value: "pending" },
        { name: "@before", value: createdBefore.toISOString() },
      ],
    })
    .fetchAll();
  return resources.map(({ eventId, customerId, orderId, destination, envelope, createdAt }) => ({
    eventId,
    customerId,
    orderId,
    destination,
    envelope,
    createdAt,
  }));
}
