import type { ApiHandler } from "../handlers/http/apiTypes";
import { withProblemBoundary } from "../handlers/http/problemBoundary";
import { createCancelOrderHandler } from "../handlers/cancelOrder";
import { createDeliverOrderHandler, createShipOrderHandler } from "../handlers/advanceOrder";
import { createGetOrderHandler } from "../handlers/getOrder";
import { createGetProductHandler } from "../handlers/getProduct";
import { createHealthHandler } from "../handlers/health";
import { createListOrdersHandler } from "../handlers/listOrders";
import { createListProductsHandler } from "../handlers/listProducts";
import { createOutboxRelay, type OutboxRelayResult } from "../handlers/outboxRelay";
import { createPlaceOrderHandler } from "../handlers/placeOrder";
import { createSetInventoryHandler } from "../handlers/setInventory";
import type { SagaControl } from "../ports";
import { API_TUNING, type ApiServices } from "./apiServices";
import type { ProcessLogger } from "./processLogger";

/** The Order API's handlers over one set of services, each behind the problem boundary. */
export interface ApiHandlers {
  readonly placeOrder: ApiHandler;
  readonly getOrder: ApiHandler;
  readonly listOrders: ApiHandler;
  readonly listProducts: ApiHandler;
  readonly getProduct: ApiHandler;
  readonly setInventory: ApiHandler;
  readonly health: ApiHandler;
  /** The saga-facing handlers take the invocation's Durable client. */
  cancelOrder(saga: SagaControl): ApiHandler;
  shipOrder(saga: SagaControl): ApiHandler;
  deliverOrder(saga: SagaControl): ApiHandler;
  readonly outboxRelay: () => Promise<OutboxRelayResult>;
}

/**
 * Cheap to build (closures over the process's clients), so `functions/` builds them per
 * invocation with that invocation's `logger`: a failed request is logged as part of it.
 */
export function createApiHandlers(services: ApiServices, logger: ProcessLogger): ApiHandlers {
  const { orders, catalog, publisher, clock, ids } = services;
  const guard = (handler: ApiHandler): ApiHandler =>
    withProblemBoundary(async (request) => {
      await services.ready;
      return handler(request);
    }, logger);
  return {
    placeOrder: guard(
      createPlaceOrderHandler({
        orders,
        catalog,
        publisher,
        clock,
        ids,
        logger,
        idempotencyTtlInSeconds: services.settings.idempotencyTtlInSeconds,
        publishTimeoutInMs: API_TUNING.publishTimeoutInMs,
      }),
    ),
    getOrder: guard(createGetOrderHandler({ orders })),
    listOrders: guard(createListOrdersHandler({ orders })),
    listProducts: guard(createListProductsHandler({ catalog })),
    getProduct: guard(createGetProductHandler({ catalog })),
    setInventory: guard(createSetInventoryHandler({ catalog })),
    // Health must answer even when the bootstrap cannot reach Cosmos: it is not guarded by `ready`.
    health: withProblemBoundary(
      createHealthHandler({ probes: services.probes, timeoutInMs: API_TUNING.healthTimeoutInMs }),
      logger,
    ),
    cancelOrder: (saga) => guard(createCancelOrderHandler({ orders, saga, clock })),
    shipOrder: (saga) => guard(createShipOrderHandler({ orders, saga, clock })),
    deliverOrder: (saga) => guard(createDeliverOrderHandler({ orders, saga, clock })),
    outboxRelay: async () => {
      await services.ready;
      return createOutboxRelay({
        orders,
        publisher,
        clock,
        logger,
        graceInMs: API_TUNING.outboxGraceInMs,
        batchSize: API_TUNING.outboxBatchSize,
        publishTimeoutInMs: API_TUNING.publishTimeoutInMs,
      })();
    },
  };
}
