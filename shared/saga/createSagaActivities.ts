import type { z } from "zod";
import { canTransition, statusChange } from "../domain";
import type { Order, OrderFailureReason, OrderStatus } from "../domain";
import type { CloudEventAttributes, EnvelopeMeta } from "../contracts/messages/envelope";
import { MESSAGE_SOURCES } from "../contracts/messages/messageTypes";
import type { LiveStatusPush } from "../ports/liveStatus";
import type { OrderRepository } from "../ports/orderRepository";
import type { StepLog } from "../ports/stepLog";
import { ConcurrencyConflictError } from "../ports/orderRepository";
import type { MessagePublisher } from "../ports/messagePublisher";
import type {
  PublishEventInput,
  PublishEventOutput,
  SendCommandInput,
  SendCommandOutput,
  UpdateOrderStatusInput,
  UpdateOrderStatusOutput,
} from "./activityMap";
import { commandMessageId, lifecycleEventId, sagaGoesOn } from "./activityMap";
import { SAGA_ACTIVITIES } from "./names";
import { COMMAND_ROUTES, EVENT_ROUTES, LIFECYCLE_TOPIC } from "./sagaMessageSchemas";
import type { SagaCommand, SagaTrace } from "./sagaTypes";

export interface SagaActivityDeps {
  readonly orders: OrderRepository;
  readonly publisher: MessagePublisher;
  /** Races with the Order API tolerated per status update before Durable retries. */
  readonly maxStatusAttempts?: number;
  /** Pushes each status change to the customer's open pages; none when absent. */
  readonly live?: LiveStatusPush;
}

type AnyEnvelopeSchema = z.ZodType<CloudEventAttributes & { data: unknown }>;

function envelope(
  schema: AnyEnvelopeSchema,
  type: string,
  meta: EnvelopeMeta,
  data: { orderId: string },
) {
  // The same construction as the contracts' newEnvelope, over a schema picked at run time.
  return schema.parse({
    specversion: "1.0",
    id: meta.id,
    type,
    source: meta.source,
    subject: data.orderId,
    time: typeof meta.time === "string" ? meta.time : meta.time.toISOString(),
    datacontenttype: "application/json",
    correlationid: meta.correlationid,
    causationid: meta.causationid,
    ...(meta.traceparent === undefined ? {} : { traceparent: meta.traceparent }),
    data,
  });
}

function metaOf(id: string, at: string, trace: SagaTrace): EnvelopeMeta {
  return {
    id,
    time: at,
    source: MESSAGE_SOURCES.saga,
    correlationid: trace.correlationId,
    causationid: trace.causationId,
    ...(trace.traceparent === undefined ? {} : { traceparent: trace.traceparent }),
  };
}

/**
 * The saga's side effects, one function per activity, built from the ports (
 * activities by a factory taking deps). Each is idempotent: commands and events carry
 * deterministic ids (duplicate detection), and a status update that already happened is
 * reported, not repeated. The step lines the orchestrator computes (it may not log itself:
 * its lines would repeat on every replay) are written here, to the step log of the activity's
 * own invocation, which the binding in `functions/` passes with each call.
 */
export function createSagaActivities(deps: SagaActivityDeps) {
  const { orders, publisher } = deps;
  const maxStatusAttempts = deps.maxStatusAttempts ?? 10;

  /**
   * Puts one command on its participant's queue. AuthorizePayment's card token stays out of
   * events and Durable history: it is read here, at the last moment, from the order the
   * customer placed (`order` when the caller already holds it).
   */
  async function publishCommand(
    command: SagaCommand,
    attempt: number,
    at: string,
    trace: SagaTrace,
    order?: Order,
  ): Promise<string> {
    const route = COMMAND_ROUTES[command.type];
    let data: { orderId: string; [field: string]: unknown } = command.data;
    if (command.type === "AuthorizePayment") {
      const placed = order ?? (await orders.getById(command.data.orderId))?.order;
      if (!placed) throw new Error(`order ${command.data.orderId} not found for AuthorizePayment`);
      data = { ...command.data, token: placed.payment.token };
    }
    const id = commandMessageId(command, attempt);
    await publisher.publish(
      route.queue,
      envelope(route.schema as AnyEnvelopeSchema, command.type, metaOf(id, at, trace), data),
    );
    return id;
  }

  async function sendCommand(input: SendCommandInput, log: StepLog): Promise<SendCommandOutput> {
    const { command, attempt, trace, at } = input;
    const messageId = await publishCommand(command, attempt, at, trace);
    if (input.step)
      log.info({ orderId: trace.orderId, correlationId: trace.correlationId, ...input.step });
    return { messageId };
  }

  async function updateOrderStatus(
    input: UpdateOrderStatusInput,
    log: StepLog,
  ): Promise<UpdateOrderStatusOutput> {
    const { orderId, customerId, status, failureReason, at, trace, step } = input;
    const outcome = async (applied: boolean, current: Order): Promise<UpdateOrderStatusOutput> => {
      // A retry of a write that happened pushes again: a repeated push is harmless, a lost
      // one is what the retry may be repairing.
      if (current.status === status) await pushStatus(current, log, trace);
      log.info({
        orderId,
        correlationId: trace.correlationId,
        ...step,
        status: current.status,
        applied,
        // The saga-outcomes query reads the reason from the terminal line.
        ...(current.failureReason ? { failureReason: current.failureReason } : {}),
      });
      return { applied, status: current.status, failureReason: current.failureReason };
    };
    const change = statusChange(status, new Date(at), reasonFor(status, failureReason));
    for (let attempt = 1; ; attempt++) {
      const move = await orders.moveStatus(customerId, orderId, change);
      if (!move) throw new Error(`order ${orderId} of customer ${customerId} not found`);
      const { moved, order } = move;
      // Not moved, yet it may move now: the order changed between the write and the read.
      if (!moved && canTransition(order.status, status)) {
        if (attempt >= maxStatusAttempts) throw new ConcurrencyConflictError(`order ${orderId}`);
        continue;
      }
      if (sagaGoesOn({ applied: moved, status: order.status }))
        for (const command of input.then ?? []) await publishCommand(command, 1, at, trace, order);
      return outcome(moved, order);
    }
  }

  /**
   * Best effort by design (docs/http-api.md "Live status"): the status is already stored and a
   * client re-reads the order on reconnect, so a push the service refuses is logged as a
   * warning and never fails the saga step.
   */
  async function pushStatus(order: Order, log: StepLog, trace: SagaTrace): Promise<void> {
    if (!deps.live) return;
    // The domain keeps the timeline ending in the current status.
    const entry = order.timeline[order.timeline.length - 1] ?? { at: order.updatedAt };
    try {
      await deps.live.orderStatusChanged(order.customerId, {
        orderId: order.orderId,
        status: order.status,
        failureReason: order.failureReason,
        at: entry.at,
        updatedAt: order.updatedAt,
      });
    } catch (error) {
      log.warn({
        orderId: order.orderId,
        correlationId: trace.correlationId,
        step: "LiveStatusPush",
        outcome: "Failed",
        status: order.status,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }

  async function publishEvent(input: PublishEventInput): Promise<PublishEventOutput> {
    const { event, at, trace } = input;
    const id = lifecycleEventId(event);
    const schema = EVENT_ROUTES[event.type] as unknown as AnyEnvelopeSchema;
    await publisher.publish(
      LIFECYCLE_TOPIC,
      envelope(schema, event.type, metaOf(id, at, trace), event.data),
    );
    return { messageId: id };
  }

  return {
    [SAGA_ACTIVITIES.sendCommand]: sendCommand,
    [SAGA_ACTIVITIES.updateOrderStatus]: updateOrderStatus,
    [SAGA_ACTIVITIES.publishEvent]: publishEvent,
  } as const;
}
export type SagaActivities = ReturnType<typeof createSagaActivities>;

/** The domain wants a reason entering Failed or Cancelling, and none otherwise. */
function reasonFor(
  status: OrderStatus,
  reason: OrderFailureReason | null,
): OrderFailureReason | undefined {
  return status === "Failed" || status === "Cancelling" ? (reason ?? undefined) : undefined;
}
