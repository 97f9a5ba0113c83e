import type { OrderRepository, VersionedOrder } from "../ports";
import type { ApiRequest } from "./http/apiTypes";
import { callerOf, unauthenticated } from "./http/identity";
import { problem } from "./http/problems";

/**
 * The order named by the route, as the caller may see it: a customer finds only their own
 * (another customer's order is 404, not 403, so ids cannot be probed); an admin finds any,
 * through the orderId index.
 */
export async function findOrderForCaller(
  orders: OrderRepository,
  request: ApiRequest,
): Promise<{ found: VersionedOrder; isAdmin: boolean }> {
  const caller = callerOf(request);
  if (caller.customerId === undefined && !caller.isAdmin) {
    throw unauthenticated(caller);
  }
  const orderId = request.params.orderId ?? "";
  const found =
    orderId.length === 0 || orderId.length > 100
      ? undefined
      : caller.isAdmin
        ? await orders.getById(orderId)
        : await orders.get(caller.customerId as string, orderId);
  if (found === undefined) throw problem(404, "No such order.");
  return { found, isAdmin: caller.isAdmin };
}
