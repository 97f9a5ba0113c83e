import type { Container, PatchOperation } from "@azure/cosmos";
import { orderFromDocument, statusesThatMoveTo, type StatusChange } from "../../domain";
import type { StatusMove, VersionedOrder } from "../../ports/orderRepository";
import { isStorableId } from "./cosmosErrors";
import { conditionalPatch } from "./conditionalPatch";
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
    const patched = await conditionalPatch<OrderDocument>(
      orders.item(orderId, customerId),
      `FROM c WHERE c.kind = '${ORDER_DOC_KINDS.order}' AND c.status IN (${from.map((status) => `'${status}'`).join(", ")})`,
      statusPatch(change),
    );
    if (patched === "absent") return undefined;
    if (patched !== "conditionFailed")
      return { moved: true, order: orderFromDocument(patched.doc) };
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
