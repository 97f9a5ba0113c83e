import type { ApiHandler } from "../http/apiTypes";
import { withProblemBoundary } from "../http/problemBoundary";
import { createPlaceOrderHandler, type PlaceOrderDeps } from "../placeOrder";
import type { ApiTestbed } from "./apiTestbed";

/** POST /api/orders over the testbed's stores and publisher, behind the problem boundary. */
export function placeOrderOn(bed: ApiTestbed, overrides: Partial<PlaceOrderDeps> = {}): ApiHandler {
  return withProblemBoundary(
    createPlaceOrderHandler({
      orders: bed.orders,
      catalog: bed.catalog,
      publisher: bed.publisher,
      clock: bed.clock,
      ids: bed.ids,
      logger: bed.logger,
      idempotencyTtlInSeconds: 3600,
      publishTimeoutInMs: 5000,
      ...overrides,
    }),
    bed.logger,
  );
}
