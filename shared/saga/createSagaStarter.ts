import { OrderEventSchema } from "../contracts/messages/unions";
import type { OrderRepository } from "../ports/orderRepository";
import type { ReceivedMessage } from "../workers/receivedMessage";
import { parseReceived } from "../workers/receivedMessage";
import type { SagaInstances } from "./sagaInstances";
import type { SagaInput, SagaTimeouts } from "./sagaTypes";

export interface SagaStarterDeps {
  /** From settings (SAGA_*_TIMEOUT_SECONDS); the orchestrator may not read settings itself. */
  readonly timeouts: SagaTimeouts;
  /** Times the step line (the process clock, passed in). */
  readonly now: () => Date;
  /** The stored orders: a saga runs only for one that exists, on what was stored. */
  readonly orders: Pick<OrderRepository, "get">;
}

/**
 * sagaStarter (topic order-events, subscription saga): OrderPlaced → start orderSaga with
 * instance id = order id. An existing instance means a redelivery: nothing to do. Other
 * lifecycle types are completed untouched (the subscription's rule normally keeps them out).
 *
 * The saga works on the stored order, not on the event: an OrderPlaced for an order that
 * does not exist (forged, or from another environment) starts nothing and is logged
 * `Refused:OrderNotFound`, so no stock is reserved or card charged for it; one whose lines
 * differ from the stored order's cannot change what is reserved or charged. The check is one
 * point read per order: the order in the partition of the customer the event names (an
 * event naming another customer than the order's finds nothing there, and starts nothing),
 * so the order index is not needed here (docs/guarantees.md).
 */
export function createSagaStarter(deps: SagaStarterDeps) {
  return async function startSaga(
    message: ReceivedMessage,
    instances: SagaInstances,
  ): Promise<void> {
    const started = deps.now().getTime();
    const event = parseReceived(OrderEventSchema, message);
    const log = (outcome: string) =>
      message.log.info({
        orderId: event.subject,
        correlationId: event.correlationid,
        step: "StartSaga",
        outcome,
        durationMs: deps.now().getTime() - started,
      });
    if (event.type !== "OrderPlaced") return log(`Ignored:${event.type}`);
    const stored = await deps.orders.get(event.data.customerId, event.data.orderId);
    if (stored === undefined) {
      message.log.warn({
        orderId: event.subject,
        correlationId: event.correlationid,
        step: "StartSaga",
        outcome: "Refused:OrderNotFound",
        durationMs: deps.now().getTime() - started,
      });
      return;
    }
    const { orderId, customerId, email, phone, items, total } = stored.order;
    const input: SagaInput = {
      orderId,
      customerId,
      email,
      ...(phone === undefined ? {} : { phone }),
      items,
      total,
      trace: {
        orderId,
        correlationId: event.correlationid,
        causationId: event.id,
        ...(event.traceparent === undefined ? {} : { traceparent: event.traceparent }),
      },
      timeouts: deps.timeouts,
    };
    log(await instances.start(orderId, input));
  };
}
