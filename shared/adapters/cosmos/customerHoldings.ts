import type { Container } from "@azure/cosmos";
import { MAY_HOLD_STATUSES, isHoldingStatus, unitsOf } from "../../domain";
import { isNotFound } from "./cosmosErrors";
import {
  HOLD_GUARD_ID,
  ORDER_DOC_KINDS,
  type HoldGuardDocument,
  type OrderDocument,
} from "./orderDocuments";

/**
 * The hold limit's bookkeeping, in the customer's partition.
 *
 * Every placement rewrites the customer's hold guard under its ETag in the order's own batch,
 * so two placements cannot both count on the same room. The guard also keeps
 * `unitsHeldAtMost`, a bound on what the customer's orders hold: each placement adds its
 * units in that batch; an order that settles lowers what is held but not the bound, so the
 * bound is never below what is held. While the bound leaves room for an order, it is placed
 * without counting; when it does not, the orders are counted ({@link countHoldings}), the
 * count decides, and the bound starts again from it. A customer whose unsettled orders stay
 * well under the limit is counted about once per limit's worth of units, not once per order.
 */
export interface HoldGuard {
  readonly etag: string;
  readonly unitsHeldAtMost?: number;
}

/** The customer's hold guard, or undefined while the customer has none. */
export async function readHoldGuard(
  orders: Container,
  customerId: string,
): Promise<HoldGuard | undefined> {
  try {
    // The SDK answers a missing item with no resource rather than always throwing.
    const { resource, etag } = await orders
      .item(HOLD_GUARD_ID, customerId)
      .read<HoldGuardDocument>();
    if (resource === undefined || etag === undefined) return undefined;
    return resource.unitsHeldAtMost === undefined
      ? { etag }
      : { etag, unitsHeldAtMost: resource.unitsHeldAtMost };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export interface Holdings {
  /** Units in the customer's orders that hold stock now (HOLDING_STATUSES): the limit's measure. */
  readonly held: number;
  /**
   * Units in orders that hold stock or may hold it again (MAY_HOLD_STATUSES: a Confirmed
   * order goes back to Cancelling when cancelled): where the guard's bound starts from.
   */
  readonly mayHold: number;
}

/**
 * Counts the customer's holdings: one query in the customer's partition (each such order
 * holds at least one unit, so it reads at most about as many rows as the limit allows units,
 * plus the Confirmed orders not yet shipped).
 */
export async function countHoldings(orders: Container, customerId: string): Promise<Holdings> {
  const statuses = MAY_HOLD_STATUSES.map((status, index) => ({
    name: `@s${index}`,
    value: status,
  }));
  const { resources } = await orders.items
    .query<Pick<OrderDocument, "items" | "status">>(
      {
        // The customer filter as well as the partition key: the local server ignores the
        // latter in queries.
        query: `SELECT c.items, c.status FROM c WHERE c.customerId = @customerId AND c.kind = @kind AND (${statuses.map((s) => `c.status = ${s.name}`).join(" OR ")})`,
        parameters: [
          { name: "@customerId", value: customerId },
          { name: "@kind", value: ORDER_DOC_KINDS.order },
          ...statuses,
        ],
      },
      { partitionKey: customerId },
    )
    .fetchAll();
  return resources.reduce<Holdings>(
    (sum, document) => ({
      held: sum.held + (isHoldingStatus(document.status) ? unitsOf(document.items) : 0),
      mayHold: sum.mayHold + unitsOf(document.items),
    }),
    { held: 0, mayHold: 0 },
  );
}
