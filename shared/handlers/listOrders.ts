import { ListOrdersQuerySchema, type OrderListResponse } from "../contracts";
import type { OrderRepository } from "../ports";
import type { ApiHandler, ApiRequest } from "./http/apiTypes";
import { jsonResponse } from "./http/apiTypes";
import { requireCustomer } from "./http/identity";
import { validationProblem } from "./http/problems";
import { orderView } from "./orderView";

export interface ListOrdersDeps {
  readonly orders: OrderRepository;
}

/** GET /api/orders: the caller's orders, newest first, one partition, keyset pages. */
export function createListOrdersHandler(deps: ListOrdersDeps): ApiHandler {
  return async (request) => {
    const customerId = requireCustomer(request);
    const query = ListOrdersQuerySchema.safeParse(
      queryObject(request, ["status", "limit", "continuationToken"]),
    );
    if (!query.success) throw validationProblem(query.error, "query");
    const page = await deps.orders.list(customerId, {
      limit: query.data.limit,
      ...(query.data.status === undefined ? {} : { status: query.data.status }),
      ...(query.data.continuationToken === undefined
        ? {}
        : { continuationToken: query.data.continuationToken }),
    });
    const body: OrderListResponse = {
      items: page.orders.map(orderView),
      continuationToken: page.continuationToken,
    };
    return jsonResponse(200, body);
  };
}

/** The named query parameters that are present (absent ones stay undefined for defaults). */
export function queryObject(request: ApiRequest, names: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of names) {
    const value = request.query.get(name);
    if (value !== null) values[name] = value;
  }
  return values;
}
