import type { OrderRepository } from "../ports";
import type { ApiHandler } from "./http/apiTypes";
import { jsonResponse } from "./http/apiTypes";
import { findOrderForCaller } from "./findOrderForCaller";
import { orderView } from "./orderView";

export interface GetOrderDeps {
  readonly orders: OrderRepository;
}

/** GET /api/orders/{orderId}. */
export function createGetOrderHandler(deps: GetOrderDeps): ApiHandler {
  return async (request) => {
    const { found } = await findOrderForCaller(deps.orders, request);
    return jsonResponse(200, orderView(found.order), { ETag: found.etag });
  };
}
