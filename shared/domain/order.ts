import { z } from "zod";
import { DomainError } from "./domainError";
import { CurrencyCodeSchema, MoneySchema, multiplyMoney, sumMoney, moneyEquals } from "./money";
import type { Money } from "./money";
import {
  CancellationReasonSchema,
  FailureReasonSchema,
  OrderFailureReasonSchema,
  OrderStatusSchema,
  canTransition,
} from "./orderStatus";
import type {
  CancellationReason,
  FailureReason,
  OrderFailureReason,
  OrderStatus,
} from "./orderStatus";

/**
 * The Order aggregate as plain, immutable data plus pure functions. The record is exactly
 * the JSON document that is stored, so persistence needs no mapping layer; every change
 * goes through a function here that checks the status machine and returns a new record.
 * No clock, no I/O: the caller passes `now`.
 */

/** Upper bounds shared with the HTTP contract (docs/http-api.md "Rules"). */
export const ORDER_LIMITS = {
  minLines: 1,
  maxLines: 50,
  minQuantity: 1,
  maxQuantity: 100,
} as const;

const IsoTimestampSchema = z.iso.datetime({ offset: true });

export const ShippingAddressSchema = z.object({
  name: z.string().trim().min(1).max(200),
  line1: z.string().trim().min(1).max(200),
  line2: z.string().trim().max(200).optional(),
  city: z.string().trim().min(1).max(100),
  region: z.string().trim().max(100).optional(),
  postalCode: z.string().trim().min(1).max(20),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 country code: two upper-case letters"),
});
export type ShippingAddress = z.infer<typeof ShippingAddressSchema>;

/** A tokenised card: the token stands for the card at the gateway; card data never reaches us. */
export const PaymentMethodSchema = z.object({
  method: z.literal("card"),
  token: z.string().min(1).max(200),
});
export type PaymentMethod = z.infer<typeof PaymentMethodSchema>;

export const OrderLineSchema = z.object({
  sku: z.string().min(1),
  name: z.string(),
  quantity: z.number().int().min(ORDER_LIMITS.minQuantity).max(ORDER_LIMITS.maxQuantity),
  unitPrice: MoneySchema,
  lineTotal: MoneySchema,
});
export type OrderLine = z.infer<typeof OrderLineSchema>;

export const TimelineEntrySchema = z.object({ at: IsoTimestampSchema, status: OrderStatusSchema });
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

/**
 * The stored order. Deliberately without refinements, so that contracts can `.omit()`
 * fields from it (zod refuses that on refined objects); the cross-field invariants are
 * checked by {@link orderFromDocument}.
 */
export const OrderSchema = z.object({
  orderId: z.string().min(1),
  customerId: z.string().min(1),
  email: z.email(),
  currency: CurrencyCodeSchema,
  items: z.array(OrderLineSchema).min(ORDER_LIMITS.minLines).max(ORDER_LIMITS.maxLines),
  total: MoneySchema,
  shippingAddress: ShippingAddressSchema,
  payment: PaymentMethodSchema,
  status: OrderStatusSchema,
  failureReason: OrderFailureReasonSchema.nullable(),
  createdAt: IsoTimestampSchema,
  updatedAt: IsoTimestampSchema,
  timeline: z.array(TimelineEntrySchema).min(1),
});
export type Order = z.infer<typeof OrderSchema>;

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

export class InvalidTransitionError extends DomainError {
  readonly code = "InvalidTransition" as const;
  constructor(
    readonly from: OrderStatus,
    readonly to: OrderStatus,
  ) {
    super(`an order cannot move from ${from} to ${to}`);
  }
}

export class InvalidFailureReasonError extends DomainError {
  readonly code = "InvalidFailureReason" as const;
  constructor(
    readonly to: OrderStatus,
    readonly reason: string | undefined,
  ) {
    super(`${to} cannot be entered with reason ${String(reason)}`);
  }
}

export class UnknownSkuError extends DomainError {
  readonly code = "UnknownSku" as const;
  constructor(readonly skus: readonly string[]) {
    super(`unknown SKU${skus.length === 1 ? "" : "s"}: ${skus.join(", ")}`);
  }
}

/** A broken order invariant: a bad request that slipped past validation, or a corrupt document. */
export class InvalidOrderError extends DomainError {
  readonly code = "InvalidOrder" as const;
  constructor(readonly problems: readonly string[]) {
    super(`invalid order: ${problems.join("; ")}`);
  }
}

export class InvalidTimestampError extends DomainError {
  readonly code = "InvalidTimestamp" as const;
  constructor() {
    super("the clock gave an invalid date");
  }
}

function timestamp(now: Date): string {
  if (Number.isNaN(now.getTime())) throw new InvalidTimestampError();
  return now.toISOString();
}

/**
 * Prices a new order from the catalog and starts it in Pending. Every SKU must be in
 * `catalog` and priced in the order's currency (one price per product; no conversion).
 */
export function createOrder(input: NewOrder, catalog: readonly CatalogPrice[], now: Date): Order {
  const at = timestamp(now);
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

function reasonFits(to: OrderStatus, reason: OrderFailureReason | undefined): boolean {
  switch (to) {
    case "Failed":
      return FailureReasonSchema.safeParse(reason).success;
    case "Cancelling":
      return CancellationReasonSchema.safeParse(reason).success;
    default:
      return reason === undefined;
  }
}

/**
 * The one way an order changes status. `reason` is required when entering Failed (a
 * failure reason) or Cancelling (a cancellation reason) and refused otherwise; Cancelled
 * keeps the reason recorded at Cancelling.
 */
export function transitionOrder(
  order: Order,
  to: OrderStatus,
  now: Date,
  reason?: OrderFailureReason,
): Order {
  if (!canTransition(order.status, to)) throw new InvalidTransitionError(order.status, to);
  if (!reasonFits(to, reason)) throw new InvalidFailureReasonError(to, reason);
  const at = timestamp(now);
  return {
    ...order,
    status: to,
    failureReason: reason ?? order.failureReason,
    updatedAt: at,
    timeline: [...order.timeline, { at, status: to }],
  };
}

export const markInventoryReserved = (order: Order, now: Date): Order =>
  transitionOrder(order, "InventoryReserved", now);

export const markPaymentAuthorized = (order: Order, now: Date): Order =>
  transitionOrder(order, "PaymentAuthorized", now);

export const confirmOrder = (order: Order, now: Date): Order =>
  transitionOrder(order, "Confirmed", now);

export const shipOrder = (order: Order, now: Date): Order => transitionOrder(order, "Shipped", now);

export const deliverOrder = (order: Order, now: Date): Order =>
  transitionOrder(order, "Delivered", now);

export const failOrder = (order: Order, reason: FailureReason, now: Date): Order =>
  transitionOrder(order, "Failed", now, reason);

/**
 * Starts cancellation. Asking again while already Cancelling returns the order unchanged
 * (the first reason stays), so a repeated cancel request is answered 202 again rather than
 * 409; from Shipped, Delivered, Cancelled or Failed it throws InvalidTransitionError.
 */
export function requestCancellation(order: Order, reason: CancellationReason, now: Date): Order {
  if (order.status === "Cancelling") return order;
  return transitionOrder(order, "Cancelling", now, reason);
}

export const completeCancellation = (order: Order, now: Date): Order =>
  transitionOrder(order, "Cancelled", now);

/**
 * Ends an order the saga could not fulfil. Normally that is Failed with `reason`; but if a
 * cancel was accepted meanwhile (the API moves the order to Cancelling on its own), the
 * customer was promised Cancelled, and compensation is the same either way, so the order
 * ends Cancelled with the cancellation reason it already carries. Without this, a saga
 * that fails while a cancel races it would leave the order in Cancelling for ever.
 */
export function endUnfulfilled(order: Order, reason: FailureReason, now: Date): Order {
  if (order.status === "Cancelling") return completeCancellation(order, now);
  return failOrder(order, reason, now);
}

/** The stored form. The record is already plain JSON data; this copies it deeply. */
export function orderToDocument(order: Order): Order {
  return structuredClone(order);
}

/**
 * Reads a stored document back, dropping unknown fields (such as Cosmos's `_etag`) and
 * checking the invariants the schema alone cannot express.
 */
export function orderFromDocument(document: unknown): Order {
  const parsed = OrderSchema.safeParse(document);
  if (!parsed.success) {
    throw new InvalidOrderError(
      parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
    );
  }
  const order = parsed.data;
  const problems: string[] = [];
  for (const line of order.items) {
    const expected = multiplyMoney(line.unitPrice, line.quantity);
    if (line.unitPrice.currency !== order.currency) problems.push(`${line.sku}: wrong currency`);
    if (!moneyEquals(expected, line.lineTotal)) problems.push(`${line.sku}: wrong line total`);
  }
  if (problems.length === 0) {
    const total = sumMoney(
      order.currency,
      order.items.map((line) => line.lineTotal),
    );
    if (!moneyEquals(total, order.total)) problems.push("total is not the sum of the lines");
  }
  const last = order.timeline[order.timeline.length - 1];
  if (last?.status !== order.status) problems.push("timeline does not end in the status");
  if (problems.length > 0) throw new InvalidOrderError(problems);
  return order;
}
