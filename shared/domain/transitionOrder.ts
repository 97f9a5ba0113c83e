import { isoTimestamp } from "./isoTimestamp";
import type { Order } from "./order";
import { InvalidFailureReasonError, InvalidTransitionError } from "./orderErrors";
import {
  CancellationReasonSchema,
  FailureReasonSchema,
  ORDER_STATUSES,
  canTransition,
} from "./orderStatus";
import type {
  CancellationReason,
  FailureReason,
  OrderFailureReason,
  OrderStatus,
} from "./orderStatus";

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

/** What a move to a status writes on the order, whatever it was before. */
export interface StatusChange {
  readonly status: OrderStatus;
  readonly updatedAt: string;
  /** Set when the move brings a reason; an order keeps the one it has otherwise. */
  readonly failureReason?: OrderFailureReason;
  /** Appended to the timeline. */
  readonly entry: { readonly at: string; readonly status: OrderStatus };
}

/**
 * The change a move to `to` makes, for a store that writes it without reading the order
 * first (a conditional patch from {@link statusesThatMoveTo}). `reason` is required when
 * entering Failed (a failure reason) or Cancelling (a cancellation reason) and refused
 * otherwise; Cancelled keeps the reason recorded at Cancelling.
 */
export function statusChange(
  to: OrderStatus,
  now: Date,
  reason?: OrderFailureReason,
): StatusChange {
  if (!reasonFits(to, reason)) throw new InvalidFailureReasonError(to, reason);
  const at = isoTimestamp(now);
  return {
    status: to,
    updatedAt: at,
    ...(reason === undefined ? {} : { failureReason: reason }),
    entry: { at, status: to },
  };
}

/** The statuses an order may move to `to` from (the status machine read backwards). */
export function statusesThatMoveTo(to: OrderStatus): OrderStatus[] {
  return ORDER_STATUSES.filter((from) => canTransition(from, to));
}

/** The one way an order changes status (see {@link statusChange} for the reason rule). */
export function transitionOrder(
  order: Order,
  to: OrderStatus,
  now: Date,
  reason?: OrderFailureReason,
): Order {
  if (!canTransition(order.status, to)) throw new InvalidTransitionError(order.status, to);
  const change = statusChange(to, now, reason);
  return {
    ...order,
    status: change.status,
    failureReason: change.failureReason ?? order.failureReason,
    updatedAt: change.updatedAt,
    timeline: [...order.timeline, change.entry],
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
