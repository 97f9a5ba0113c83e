import { SAGA_REQUESTS } from "../saga/names";
import type { OrderStatusResponse } from "../contracts";
import type { OrderStatus } from "../domain";
import type { Clock, OrderRepository, SagaControl } from "../ports";
import type { ApiHandler } from "./http/apiTypes";
import { jsonResponse } from "./http/apiTypes";
import { requireAdmin } from "./http/identity";
import { domainProblem } from "./http/domainProblems";
import { findOrderForCaller } from "./findOrderForCaller";

export interface AdvanceOrderDeps {
  readonly orders: OrderRepository;
  readonly saga: SagaControl;
  readonly clock: Clock;
}

type Step = "ship" | "deliver";

const FROM: Record<Step, OrderStatus> = { ship: "Confirmed", deliver: "Shipped" };
const EVENT: Record<Step, string> = { ship: SAGA_REQUESTS.ship, deliver: SAGA_REQUESTS.deliver };

/**
 * POST /api/orders/{orderId}/ship and /deliver (admin). The saga owns the status change and
 * the customer email; the API checks the order is where the step starts (else 409) and
 * raises the request on the saga instance.
 */
export function createAdvanceOrderHandler(step: Step, deps: AdvanceOrderDeps): ApiHandler {
  return async (request) => {
    requireAdmin(request);
    const { found } = await findOrderForCaller(deps.orders, request);
    const { order } = found;
    if (order.status !== FROM[step]) {
      throw domainProblem(
        "InvalidTransition",
        `Only a ${FROM[step]} order can be ${step === "ship" ? "shipped" : "delivered"}; this one is ${order.status}.`,
      );
    }
    await deps.saga.raiseEvent(order.orderId, EVENT[step], {
      requestedAt: deps.clock.now().toISOString(),
    });
    const body: OrderStatusResponse = { orderId: order.orderId, status: order.status };
    return jsonResponse(202, body);
  };
}

export const createShipOrderHandler = (deps: AdvanceOrderDeps) =>
  createAdvanceOrderHandler("ship", deps);
export const createDeliverOrderHandler = (deps: AdvanceOrderDeps) =>
  createAdvanceOrderHandler("deliver", deps);
