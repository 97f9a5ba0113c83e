import { OrderResponseSchema, type OrderResponse } from "../contracts";
import type { Order } from "../domain";

/** An order as the API shows it: the stored order minus its payment token. */
export function orderView(order: Order): OrderResponse {
  return OrderResponseSchema.parse(order);
}
