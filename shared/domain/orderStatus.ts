import { z } from "zod";

/** Every status an order can be in (docs/http-api.md "Statuses"), happy path first. */
export const ORDER_STATUSES = [
  "Pending",
  "InventoryReserved",
  "PaymentAuthorized",
  "Confirmed",
  "Shipped",
  "Delivered",
  "Cancelling",
  "Cancelled",
  "Failed",
] as const;
export const OrderStatusSchema = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof OrderStatusSchema>;

/**
 * The statuses in which an order holds stock for its customer without having paid for it:
 * reserved or about to be, and released only when the saga settles it (Confirmed, Failed,
 * Cancelled). What one customer may hold across these is bounded (docs/http-api.md "Hold limit").
 */
export const HOLDING_STATUSES = [
  "Pending",
  "InventoryReserved",
  "PaymentAuthorized",
  "Cancelling",
] as const satisfies readonly OrderStatus[];

export function isHoldingStatus(status: OrderStatus): boolean {
  return (HOLDING_STATUSES as readonly OrderStatus[]).includes(status);
}

/** Reasons an order ends `Failed`: the saga could not fulfil it. */
export const FAILURE_REASONS = [
  "OutOfStock",
  "PaymentDeclined",
  "PaymentTimeout",
  "InventoryTimeout",
] as const;
export const FailureReasonSchema = z.enum(FAILURE_REASONS);
export type FailureReason = z.infer<typeof FailureReasonSchema>;

/** Reasons an order is `Cancelling`/`Cancelled`: someone asked for it. */
export const CANCELLATION_REASONS = ["CancelledByCustomer", "CancelledByOperator"] as const;
export const CancellationReasonSchema = z.enum(CANCELLATION_REASONS);
export type CancellationReason = z.infer<typeof CancellationReasonSchema>;

/** The order's `failureReason` field (docs/http-api.md): either kind of reason, or null while none. */
export const ORDER_FAILURE_REASONS = [...FAILURE_REASONS, ...CANCELLATION_REASONS] as const;
export const OrderFailureReasonSchema = z.enum(ORDER_FAILURE_REASONS);
export type OrderFailureReason = z.infer<typeof OrderFailureReasonSchema>;

/**
 * The status machine. Anything not listed here is refused, including staying in the same
 * status (a repeated command is the caller's idempotency concern, not a transition).
 *
 * - The happy path moves one step at a time: the saga records each completed step, so a
 *   skipped step (Pending → Confirmed) is a bug we want to hear about.
 * - Cancel is accepted while the saga can still compensate: Pending, InventoryReserved,
 *   PaymentAuthorized and Confirmed (a Confirmed order is refunded and restocked). Once
 *   Shipped the goods are gone; that is a return, not a cancellation (docs/http-api.md: 409).
 * - Failed is reachable from the three in-flight statuses: Pending (out of stock, inventory
 *   timeout), InventoryReserved (payment declined or timed out) and PaymentAuthorized
 *   (capture declined or timed out). A Confirmed order has captured its payment and
 *   committed its stock, so nothing can fail it any more.
 * - Cancelling ends only in Cancelled, never Failed: the customer was told 202 and "the
 *   order then passes through Cancelling to Cancelled" (docs/http-api.md). A decline or timeout that
 *   races the cancel changes nothing for them, since compensation is the same either way.
 *   Likewise a late success (payment authorized while Cancelling) is compensated, not
 *   recorded, so Cancelling → Confirmed is refused.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  Pending: ["InventoryReserved", "Cancelling", "Failed"],
  InventoryReserved: ["PaymentAuthorized", "Cancelling", "Failed"],
  PaymentAuthorized: ["Confirmed", "Cancelling", "Failed"],
  Confirmed: ["Shipped", "Cancelling"],
  Shipped: ["Delivered"],
  Delivered: [],
  Cancelling: ["Cancelled"],
  Cancelled: [],
  Failed: [],
};

/**
 * The statuses in which an order holds stock, or may hold it again without a new order: the
 * holding ones, and any from which a transition leads back to one (Confirmed, which a
 * cancel moves to Cancelling). What a customer's orders in these hold bounds what the
 * customer can come to hold until they place another.
 */
export const MAY_HOLD_STATUSES: readonly OrderStatus[] = ORDER_STATUSES.filter((status) =>
  leadsToHolding(status, new Set()),
);

function leadsToHolding(status: OrderStatus, seen: Set<OrderStatus>): boolean {
  if (isHoldingStatus(status)) return true;
  if (seen.has(status)) return false;
  seen.add(status);
  return ORDER_TRANSITIONS[status].some((next) => leadsToHolding(next, seen));
}

/** Statuses no transition leaves. */
export const TERMINAL_STATUSES = [
  "Delivered",
  "Cancelled",
  "Failed",
] as const satisfies readonly OrderStatus[];

export function isTerminalStatus(status: OrderStatus): boolean {
  return (TERMINAL_STATUSES as readonly OrderStatus[]).includes(status);
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

/** Whether a cancel request is accepted in this status (it moves the order to Cancelling). */
export function isCancellable(status: OrderStatus): boolean {
  return canTransition(status, "Cancelling");
}
