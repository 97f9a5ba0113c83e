import { OrderEventSchema } from "../contracts/messages/unions";
import type { ReceivedMessage } from "../workers/receivedMessage";
import { parseReceived } from "../workers/receivedMessage";
import type { SagaInstances } from "./sagaInstances";
import type { SagaInput, SagaTimeouts } from "./sagaTypes";

export interface SagaStarterDeps {
  /** From settings (SAGA_*_TIMEOUT_SECONDS); the orchestrator may not read settings itself. */
  readonly timeouts: SagaTimeouts;
  /** Times the step line (the process clock, passed in). */
  readonly now: () => Date;
}

/**
 * sagaStarter (topic order-events, subscription saga): OrderPlaced → start orderSaga with
 * instance id = order id. An existing instance means a redelivery: nothing to do. Other
 * lifecycle types are completed untouched (the subscription's rule normally keeps them out).
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
    const { orderId, customerId, email, phone, items, total } = event.data;
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
