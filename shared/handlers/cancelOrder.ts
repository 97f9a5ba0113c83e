import { SAGA_REQUESTS } from "../saga/names";
import type { CancelOrderResponse, CancelRequested } from "../contracts";
import { InvalidTransitionError, requestCancellation, type CancellationReason } from "../domain";
import type { Clock, OrderRepository, SagaControl } from "../ports";
import { ConcurrencyConflictError } from "../ports";
import type { ApiHandler } from "./http/apiTypes";
import { jsonResponse } from "./http/apiTypes";
import { domainProblem } from "./http/domainProblems";
import { findOrderForCaller } from "./findOrderForCaller";

export interface CancelOrderDeps {
  readonly orders: OrderRepository;
  readonly saga: SagaControl;
  readonly clock: Clock;
  /** ETag conflicts retried before answering 409. */
  readonly maxAttempts?: number;
}

/**
 * POST /api/orders/{orderId}/cancel. Records Cancelling on the order (ETag-guarded, so a
 * concurrent saga step is not overwritten), then raises CancelRequested on the saga, which
 * compensates and ends the order Cancelled. A saga that has not started yet finds the
 * order Cancelling when it does. 409 from Shipped, Delivered, Cancelled or Failed.
 */
export function createCancelOrderHandler(deps: CancelOrderDeps): ApiHandler {
  const maxAttempts = deps.maxAttempts ?? 5;
  return async (request) => {
    for (let attempt = 1; ; attempt++) {
      const { found, isAdmin } = await findOrderForCaller(deps.orders, request);
      const reason: CancellationReason = isAdmin ? "CancelledByOperator" : "CancelledByCustomer";
      const now = deps.clock.now();
      let cancelling;
      try {
        cancelling = requestCancellation(found.order, reason, now);
      } catch (error) {
        if (error instanceof InvalidTransitionError) {
          throw domainProblem(
            error.code,
            `The order is ${found.order.status} and can no longer be cancelled.`,
          );
        }
        throw error;
      }
      try {
        if (cancelling !== found.order) await deps.orders.replace(cancelling, found.etag);
      } catch (error) {
        if (error instanceof ConcurrencyConflictError && attempt < maxAttempts) continue;
        throw error;
      }
      const payload: CancelRequested = {
        reason:
          cancelling.failureReason === "CancelledByOperator"
            ? "CancelledByOperator"
            : "CancelledByCustomer",
        requestedAt: now.toISOString(),
      };
      await deps.saga.raiseEvent(cancelling.orderId, SAGA_REQUESTS.cancel, payload);
      const body: CancelOrderResponse = { orderId: cancelling.orderId, status: cancelling.status };
      return jsonResponse(202, body);
    }
  };
}
