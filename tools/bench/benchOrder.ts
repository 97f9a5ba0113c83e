/** The order body both benches place: a bench customer's card and address, with these lines. */
import type { CreateOrderRequest, OrderItemRequest } from "../../shared/contracts/http/orders";
import { aCreateOrderRequest } from "../../shared/contracts/testing/httpBuilders";

export function benchOrder(items: OrderItemRequest[]): CreateOrderRequest {
  return aCreateOrderRequest({
    email: "bench@example.com",
    items,
    shippingAddress: {
      name: "Ada",
      line1: "1 Bench St",
      city: "London",
      postalCode: "N1",
      country: "GB",
    },
  });
}
