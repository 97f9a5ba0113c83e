import type { Container, ItemDefinition } from "@azure/cosmos";
import { isNotFound } from "../adapters/cosmos/cosmosErrors";
import { ORDER_INDEX_ID } from "../adapters/cosmos/orderDocuments";
import type { NotificationClaim, PaymentDocument, ReservationDocument, StockHold } from "../ports";
import { paymentRecordId, reservationId } from "../ports";

/**
 * Reads Cosmos and checks the six guarantees of docs/guarantees.md for a set of orders. Tests run it after
 * every scenario; benchmarks after a run. It reports every violation it finds instead of
 * stopping at the first, each naming its guarantee, so a failure explains itself.
 */
export interface InvariantContainers {
  readonly orders: Container;
  readonly products: Container;
  readonly ledger: Container;
}

export interface CheckInvariantsOptions {
  readonly orderIds: readonly string[];
  /**
   * Guarantee 1 asks every accepted order to reach a state where its saga rests: terminal,
   * or Confirmed/Shipped awaiting an operator. On by default; off while sagas still run.
   */
  readonly requireSettled?: boolean;
}

export interface Violation {
  readonly guarantee: 1 | 2 | 3 | 4 | 5 | 6;
  readonly orderId?: string;
  readonly sku?: string;
  readonly message: string;
}

export interface InvariantReport {
  readonly ordersChecked: number;
  readonly productsChecked: number;
  readonly violations: readonly Violation[];
}

const SETTLED = new Set(["Confirmed", "Shipped", "Delivered", "Cancelled", "Failed"]);
const FULFILLED = new Set(["Confirmed", "Shipped", "Delivered"]);
const COMPENSATED = new Set(["Cancelled", "Failed"]);
/** The inventory record states each fulfilled status allows. */
const STOCK_STATES: Readonly<Record<string, readonly string[]>> = {
  Confirmed: ["committed"],
  Shipped: ["committed", "shipped"],
  Delivered: ["shipped"],
};

interface OrderDoc {
  readonly orderId: string;
  readonly customerId: string;
  readonly status: string;
  readonly total: { amount: number; currency: string };
  readonly items: ReadonlyArray<{ sku: string; quantity: number }>;
}

interface ProductDoc {
  readonly sku: string;
  readonly stock: number;
  readonly reserved?: number;
  readonly committed?: number;
  readonly holds?: Record<string, StockHold>;
}

async function readItem<T extends ItemDefinition>(
  container: Container,
  id: string,
  partitionKey: string,
): Promise<T | undefined> {
  try {
    const { resource } = await container.item(id, partitionKey).read<T>();
    return resource ?? undefined;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function findOrder(
  containers: InvariantContainers,
  orderId: string,
): Promise<OrderDoc | undefined> {
  const index = await readItem<{ customerId: string }>(containers.ledger, ORDER_INDEX_ID, orderId);
  if (!index) return undefined;
  return readItem<OrderDoc>(containers.orders, orderId, index.customerId);
}

export async function checkInvariants(
  containers: InvariantContainers,
  options: CheckInvariantsOptions,
): Promise<InvariantReport> {
  const violations: Violation[] = [];
  const add = (v: Violation) => violations.push(v);
  const skus = new Set<string>();
  const holdsOf = new Map<string, Map<string, StockHold>>(); // orderId → sku → hold
  const orders: OrderDoc[] = [];

  for (const orderId of options.orderIds) {
    const order = await findOrder(containers, orderId);
    if (!order) {
      add({ guarantee: 1, orderId, message: "accepted order has no order document" });
      continue;
    }
    orders.push(order);
    order.items.forEach((line) => skus.add(line.sku));
    if ((options.requireSettled ?? true) && !SETTLED.has(order.status)) {
      add({ guarantee: 1, orderId, message: `saga has not settled: order is ${order.status}` });
    }
  }

  // Guarantee 2: per SKU, counters within stock and equal to the holds that explain them.
  for (const sku of skus) {
    const product = await readItem<ProductDoc>(containers.products, sku, sku);
    if (!product) continue;
    const reserved = product.reserved ?? 0;
    const committed = product.committed ?? 0;
    if (reserved < 0 || committed < 0)
      add({
        guarantee: 2,
        sku,
        message: `negative counter: reserved ${reserved}, committed ${committed}`,
      });
    if (reserved + committed > product.stock) {
      add({
        guarantee: 2,
        sku,
        message: `oversold: reserved ${reserved} + committed ${committed} > stock ${product.stock}`,
      });
    }
    let heldReserved = 0;
    let heldCommitted = 0;
    for (const [orderId, hold] of Object.entries(product.holds ?? {})) {
      if (hold.state === "reserved") heldReserved += hold.quantity;
      else heldCommitted += hold.quantity;
      if (!holdsOf.has(orderId)) holdsOf.set(orderId, new Map());
      holdsOf.get(orderId)?.set(sku, hold);
    }
    if (heldReserved !== reserved || heldCommitted !== committed) {
      add({
        guarantee: 5,
        sku,
        message: `counters (reserved ${reserved}, committed ${committed}) differ from the holds (${heldReserved}, ${heldCommitted})`,
      });
    }
  }

  for (const order of orders) {
    const { orderId } = order;
    const reservation = await readItem<ReservationDocument>(
      containers.ledger,
      reservationId(orderId),
      orderId,
    );
    const payment = await readItem<PaymentDocument>(
      containers.ledger,
      paymentRecordId(orderId),
      orderId,
    );
    const holds = holdsOf.get(orderId) ?? new Map<string, StockHold>();
    const ops = payment?.operations ?? {};

    // Guarantee 5: one delivery or ten, an order holds exactly its lines, never more.
    for (const [sku, hold] of holds) {
      const line = order.items.find((l) => l.sku === sku);
      if (!line || line.quantity !== hold.quantity) {
        add({
          guarantee: 5,
          orderId,
          sku,
          message: `holds ${hold.quantity} of ${sku}, the order asks ${line?.quantity ?? 0}`,
        });
      }
    }

    // Guarantee 3: one capture, for exactly the total; a compensated order keeps no money.
    const capture = ops.capture;
    if (
      capture &&
      (capture.amount?.amount !== order.total.amount ||
        capture.amount.currency !== order.total.currency)
    ) {
      add({
        guarantee: 3,
        orderId,
        message: `captured ${JSON.stringify(capture.amount)} for a total of ${JSON.stringify(order.total)}`,
      });
    }
    if (COMPENSATED.has(order.status)) {
      if (capture && ops.refund?.outcome !== "refunded")
        add({ guarantee: 3, orderId, message: "compensated order's capture was not refunded" });
      if (!capture && ops.authorize?.outcome === "approved" && ops.void?.outcome !== "voided") {
        add({ guarantee: 3, orderId, message: "compensated order's authorization was not voided" });
      }
    }

    // Guarantee 6: the terminal status agrees with the participants' records. Stock stays
    // committed until the goods ship; shipping retires it (the hold goes with it). A Shipped
    // order may be either side of that step, a Delivered one is past it.
    if (FULFILLED.has(order.status)) {
      const expected = STOCK_STATES[order.status] ?? [];
      const state = reservation?.state ?? "absent";
      if (!expected.includes(state))
        add({ guarantee: 6, orderId, message: `${order.status} but reservation is ${state}` });
      for (const line of order.items) {
        const hold = holds.get(line.sku)?.state;
        if (state === "shipped" ? hold !== undefined : hold !== "committed")
          add({
            guarantee: 6,
            orderId,
            sku: line.sku,
            message:
              state === "shipped"
                ? `${order.status}, stock shipped, but still holds ${line.sku}`
                : `${order.status} but ${line.sku} is not committed`,
          });
      }
      if (capture?.outcome !== "captured" || ops.refund)
        add({ guarantee: 6, orderId, message: `${order.status} but payment is not captured` });
    }
    if (COMPENSATED.has(order.status)) {
      if (reservation && reservation.state !== "released" && reservation.state !== "rejected") {
        add({
          guarantee: 6,
          orderId,
          message: `${order.status} but reservation is ${reservation.state}`,
        });
      }
      if (holds.size > 0)
        add({
          guarantee: 6,
          orderId,
          message: `${order.status} but still holds ${[...holds.keys()].join(", ")}`,
        });
    }

    // Guarantee 4: at most one email per template (claims are unique per id; a sent claim
    // must be the only one of its template).
    const { resources: claims } = await containers.ledger.items
      .query<NotificationClaim>(
        {
          query: "SELECT * FROM c WHERE c.orderId = @orderId AND c.type = 'notification'",
          parameters: [{ name: "@orderId", value: orderId }],
        },
        { partitionKey: orderId },
      )
      .fetchAll();
    const perTemplate = new Map<string, number>();
    for (const claim of claims)
      perTemplate.set(claim.template, (perTemplate.get(claim.template) ?? 0) + 1);
    for (const [template, count] of perTemplate) {
      if (count > 1) add({ guarantee: 4, orderId, message: `${count} claims for ${template}` });
    }
  }

  return { ordersChecked: orders.length, productsChecked: skus.size, violations };
}

/** One line per violation, for a test failure message. */
export function describeViolations(report: InvariantReport): string {
  return report.violations
    .map(
      (v) =>
        `G${v.guarantee}${v.orderId ? ` order ${v.orderId}` : ""}${v.sku ? ` sku ${v.sku}` : ""}: ${v.message}`,
    )
    .join("\n");
}
