/**
 * Test-data builders for the HTTP contracts: each returns a valid body, and a test changes
 * only what it is about.
 */
import type { CreateOrderRequest, OrderItemRequest } from "../http/orders";
import type { Product } from "../http/products";
import { aShippingAddress } from "../../domain/testing/orderBuilders";

export function anItem(overrides: Partial<OrderItemRequest> = {}): OrderItemRequest {
  return { sku: "SKU-0001", quantity: 2, ...overrides };
}

/** `count` distinct lines, SKU-0001 … */
export function items(count: number): OrderItemRequest[] {
  return Array.from({ length: count }, (_, index) =>
    anItem({ sku: `SKU-${String(index + 1).padStart(4, "0")}`, quantity: 1 }),
  );
}

export function aCreateOrderRequest(
  overrides: Partial<CreateOrderRequest> = {},
): CreateOrderRequest {
  return {
    email: "ada@example.com",
    currency: "USD",
    items: [anItem()],
    payment: { method: "card", token: "tok_visa" },
    shippingAddress: aShippingAddress(),
    ...overrides,
  };
}

export function aProduct(overrides: Partial<Product> = {}): Product {
  return {
    sku: "SKU-0001",
    name: "Analytical Engine",
    description: "Difference engine, improved",
    price: { amount: 1299, currency: "USD" },
    available: 10,
    ...overrides,
  };
}
