import type { Container } from "@azure/cosmos";
import { HOLDING_STATUSES, unitsOf } from "../../domain";
import { isNotFound } from "./cosmosErrors";
import {
  HOLD_GUARD_ID,
  ORDER_DOC_KINDS,
  type HoldGuardDocument,
  type OrderDocument,
} from "./orderDocuments";

/**
 * The ETag of the customer's hold guard, or undefined while the customer has none. Read it
 * before {@link unitsHeld}: a placement that commits after this read changes the ETag, so a
 * batch written under it fails instead of acting on a stale count.
 */
export async function holdGuardEtag(
  orders: Container,
  customerId: string,
): Promise<string | undefined> {
  try {
    // The SDK answers a missing item with no resource rather than always throwing.
    const { resource, etag } = await orders
      .item(HOLD_GUARD_ID, customerId)
      .read<HoldGuardDocument>();
    return resource === undefined ? undefined : etag;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Units in the customer's orders that hold stock (HOLDING_STATUSES). One query in the
 * customer's partition; each such order holds at least one unit, so it reads at most as
 * many rows as the hold limit allows units.
 */
export async function unitsHeld(orders: Container, customerId: string): Promise<number> {
  const statuses = HOLDING_STATUSES.map((status, index) => ({ name: `@s${index}`, value: status }));
  const { resources } = await orders.items
    .query<Pick<OrderDocument, "items">>(
      {
        // The customer filter as well as the partition key: the local server ignores the
        // latter in queries.
        query: `SELECT c.items FROM c WHERE c.customerId = @customerId AND c.kind = @kind AND (${statuses.map((s) => `c.status = ${s.name}`).join(" OR ")})`,
        parameters: [
          { name: "@customerId", value: customerId },
          { name: "@kind", value: ORDER_DOC_KINDS.order },
          ...statuses,
        ],
      },
      { partitionKey: customerId },
    )
    .fetchAll();
  return resources.reduce((sum, document) => sum + unitsOf(document.items), 0);
}
