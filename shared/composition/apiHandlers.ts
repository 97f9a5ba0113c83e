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
import type { MessageLog, SagaControl } from "../ports";
import { API_TUNING, type ApiServices } from "./apiServices";
import { activeTraceparent } from "../telemetry/traceparent";

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
 * `functions/` builds these per invocation, with that invocation's `logger`, so a failed
 * request is logged as part of it. Each handler is built when it is read (closures over the
 * process's clients), so an invocation builds only the one it runs.
 */
export function createApiHandlers(services: ApiServices, logger: MessageLog): ApiHandlers {
  const { orders, catalog, publisher, clock, ids } = services;
  // Who calls is settled first: a refused token costs no store round trip.
  const guard = (handler: ApiHandler): ApiHandler =>
    withProblemBoundary(async (request) => {
      const authenticated = await services.identity(request);
      await services.ready;
      return handler(authenticated);
    }, logger);
  return {
    get placeOrder() {
      return guard(
        createPlaceOrderHandler({
          orders,
          catalog: services.prices,
          publisher,
          clock,
          ids,
          logger,
          idempotencyTtlInSeconds: services.settings.idempotencyTtlInSeconds,
          publishTimeoutInMs: API_TUNING.publishTimeoutInMs,
          maxUnitsHeld: services.settings.maxUnitsHeldPerCustomer,
          activeTraceparent,
        }),
      );
    },
    get getOrder() {
      return guard(createGetOrderHandler({ orders }));
    },
    get listOrders() {
      return guard(createListOrdersHandler({ orders }));
    },
    get listProducts() {
      return guard(createListProductsHandler({ catalog }));
    },
    get getProduct() {
      return guard(createGetProductHandler({ catalog }));
    },
    get setInventory() {
      return guard(createSetInventoryHandler({ catalog }));
    },
    // Health must answer even when the bootstrap cannot reach Cosmos: it is not guarded by `ready`.
    get health() {
      return withProblemBoundary(
        createHealthHandler({ probes: services.probes, timeoutInMs: API_TUNING.healthTimeoutInMs }),
        logger,
      );
    },
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
