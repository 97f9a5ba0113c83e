/**
 * Test-data builders for the domain. Each returns a valid value; a test overrides only the
 * fields it is about, so the reason a sample is invalid is visible at the call site.
 */
import { money } from "../money";
import type { Money } from "../money";
import { createOrder, type CatalogPrice, type NewOrder } from "../createOrder";
import type { Order, ShippingAddress } from "../order";
import { transitionOrder } from "../transitionOrder";
import type { OrderFailureReason, OrderStatus } from "../orderStatus";

export const T0 = new Date("2026-01-01T10:00:00.000Z");

/** A clock that advances one second per call, for ordered timelines. */
export function steppingClock(start: Date = T0): () => Date {
  let tick = 0;
  return () => new Date(start.getTime() + 1000 * tick++);
}

export function aMoney(overrides: Partial<Money> = {}): Money {
  return money(overrides.amount ?? 1299, overrides.currency ?? "USD");
}

export function aCatalogPrice(overrides: Partial<CatalogPrice> = {}): CatalogPrice {
  const sku = overrides.sku ?? "SKU-0001";
  return { sku, name: overrides.name ?? `Product ${sku}`, price: overrides.price ?? aMoney() };
}

export function aShippingAddress(overrides: Partial<ShippingAddress> = {}): ShippingAddress {
  return {
    name: "Ada Lovelace",
    line1: "12 St James's Sq",
    city: "London",
    postalCode: "SW1Y 4JH",
    country: "GB",
    ...overrides,
  };
}

export function aNewOrder(overrides: Partial<NewOrder> = {}): NewOrder {
  return {
    orderId: "order-1",
    customerId: "customer-1",
    email: "ada@example.com",
    currency: "USD",
    items: [{ sku: "SKU-0001", quantity: 2 }],
    payment: { method: "card", token: "tok_visa" },
    shippingAddress: aShippingAddress(),
    ...overrides,
  };
}

/** The shortest path through the status machine from Pending to each status. */
const PATHS: Record<OrderStatus, readonly [OrderStatus, OrderFailureReason?][]> = {
  Pending: [],
  InventoryReserved: [["InventoryReserved"]],
  PaymentAuthorized: [["InventoryReserved"], ["PaymentAuthorized"]],
  Confirmed: [["InventoryReserved"], ["PaymentAuthorized"], ["Confirmed"]],
  Shipped: [["InventoryReserved"], ["PaymentAuthorized"], ["Confirmed"], ["Shipped"]],
  Delivered: [
    ["InventoryReserved"],
    ["PaymentAuthorized"],
    ["Confirmed"],
    ["Shipped"],
    ["Delivered"],
  ],
  Cancelling: [["Cancelling", "CancelledByCustomer"]],
  Cancelled: [["Cancelling", "CancelledByCustomer"], ["Cancelled"]],
  Failed: [["Failed", "OutOfStock"]],
};

/** A valid order already moved, through legal transitions, to `status`. */
export function anOrder(
  status: OrderStatus = "Pending",
  options: {
    newOrder?: Partial<NewOrder>;
    catalog?: readonly CatalogPrice[];
    clock?: () => Date;
  } = {},
): Order {
  const clock = options.clock ?? steppingClock();
  const catalog = options.catalog ?? [aCatalogPrice()];
  return PATHS[status].reduce(
    (order, [to, reason]) => transitionOrder(order, to, clock(), reason),
    createOrder(aNewOrder(options.newOrder), catalog, clock()),
  );
}
