import type { Container, PatchOperation } from "@azure/cosmos";
import { orderFromDocument, statusesThatMoveTo, type StatusChange } from "../../domain";
import type { StatusMove, VersionedOrder } from "../../ports/orderRepository";
import { isNotFound, isPreconditionFailed, isStorableId } from "./cosmosErrors";
import { ORDER_DOC_KINDS, type OrderDocument } from "./orderDocuments";

/**
 * A status move as one conditional patch: the status machine read backwards is the
 * condition (`FROM c WHERE c.status IN (…)`), so the usual move costs one request instead
 * of a read and a replace. Only when the condition fails is the order read, to say what it
 * is now (another writer, such as a cancel, got there first). Statuses and reasons are enum
 * values of the domain, so writing them into the condition as literals is safe.
 */
export async function moveOrderStatus(
  orders: Container,
  customerId: string,
  orderId: string,
  change: StatusChange,
  read: () => Promise<VersionedOrder | undefined>,
): Promise<StatusMove | undefined> {
  const from = statusesThatMoveTo(change.status);
  if (from.length > 0 && isStorableId(orderId)) {
    try {
      const { resource } = await orders.item(orderId, customerId).patch<OrderDocument>({
        condition: `FROM c WHERE c.kind = '${ORDER_DOC_KINDS.order}' AND c.status IN (${from.map((status) => `'${status}'`).join(", ")})`,
        operations: statusPatch(change),
      });
      if (resource !== undefined) return { moved: true, order: orderFromDocument(resource) };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      if (!isPreconditionFailed(error)) throw error;
    }
  }
  const found = await read();
  return found === undefined ? undefined : { moved: false, order: found.order };
}

function statusPatch(change: StatusChange): PatchOperation[] {
  return [
    { op: "set", path: "/status", value: change.status },
    { op: "set", path: "/updatedAt", value: change.updatedAt },
    { op: "add", path: "/timeline/-", value: change.entry },
    ...(change.failureReason === undefined
      ? []
      : [{ op: "set", path: "/failureReason", value: change.failureReason } as const]),
  ];
}
