import { multiplyMoney, sumMoney } from "./money";
import type { Money } from "./money";
import { isoTimestamp } from "./isoTimestamp";
import {
  ORDER_LIMITS,
  type Order,
  type OrderLine,
  type PaymentMethod,
  type ShippingAddress,
} from "./order";
import { InvalidOrderError, UnknownSkuError } from "./orderErrors";

/** A catalog product as the order needs it: its name and its price. */
export interface CatalogPrice {
  readonly sku: string;
  readonly name: string;
  readonly price: Money;
}

/** What a customer asks for; prices are not part of it, they come from the catalog. */
export interface NewOrder {
  readonly orderId: string;
  readonly customerId: string;
  readonly email: string;
  readonly currency: string;
  readonly items: readonly { readonly sku: string; readonly quantity: number }[];
  readonly payment: PaymentMethod;
  readonly shippingAddress: ShippingAddress;
}

/**
 * Prices a new order from the catalog and starts it in Pending. Every SKU must be in
 * `catalog` and priced in the order's currency (one price per product; no conversion).
 */
export function createOrder(input: NewOrder, catalog: readonly CatalogPrice[], now: Date): Order {
  const at = isoTimestamp(now);
  const problems: string[] = [];
  const { minLines, maxLines, minQuantity, maxQuantity } = ORDER_LIMITS;
  if (input.items.length < minLines || input.items.length > maxLines) {
    problems.push(`an order has ${minLines}..${maxLines} lines, got ${input.items.length}`);
  }
  const seen = new Set<string>();
  for (const line of input.items) {
    if (seen.has(line.sku)) problems.push(`SKU ${line.sku} appears more than once`);
    seen.add(line.sku);
    if (
      !Number.isInteger(line.quantity) ||
      line.quantity < minQuantity ||
      line.quantity > maxQuantity
    ) {
      problems.push(`quantity of ${line.sku} must be an integer ${minQuantity}..${maxQuantity}`);
    }
  }
  if (problems.length > 0) throw new InvalidOrderError(problems);

  const prices = new Map(catalog.map((product) => [product.sku, product]));
  const unknown = input.items.filter((line) => !prices.has(line.sku)).map((line) => line.sku);
  if (unknown.length > 0) throw new UnknownSkuError(unknown);

  const items = input.items.map((line): OrderLine => {
    // Presence was checked just above.
    const product = prices.get(line.sku) as CatalogPrice;
    const unitPrice = product.price;
    if (unitPrice.currency !== input.currency) {
      throw new InvalidOrderError([
        `${line.sku} is priced in ${unitPrice.currency}, the order is in ${input.currency}`,
      ]);
    }
    return {
      sku: line.sku,
      name: product.name,
      quantity: line.quantity,
      unitPrice: { ...unitPrice },
      lineTotal: multiplyMoney(unitPrice, line.quantity),
    };
  });

  return {
    orderId: input.orderId,
    customerId: input.customerId,
    email: input.email,
    currency: input.currency,
    items,
    total: sumMoney(
      input.currency,
      items.map((line) => line.lineTotal),
    ),
    shippingAddress: { ...input.shippingAddress },
    payment: { ...input.payment },
    status: "Pending",
    failureReason: null,
    createdAt: at,
    updatedAt: at,
    timeline: [{ at, status: "Pending" }],
  };
}
