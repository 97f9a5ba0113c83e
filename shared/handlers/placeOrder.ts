import { ORDER_EVENTS_TOPIC } from "../config/names";
import {
  CORRELATION_ID_HEADER,
  CorrelationIdSchema,
  CreateOrderRequestSchema,
  MESSAGE_SOURCES,
  OrderPlacedSchema,
  PROBLEM_TYPES,
  TRACEPARENT_HEADER,
  TraceparentSchema,
  newEnvelope,
  type CreateOrderResponse,
} from "../contracts";
import { createOrder, unitsOf, type Order } from "../domain";
import type {
  CatalogPrices,
  Clock,
  IdGenerator,
  IdempotencyRecord,
  MessagePublisher,
  OrderRepository,
  OutboxEntry,
  StoredResponse,
} from "../ports";
import type { ApiHandler, ApiRequest, ApiResponse } from "./http/apiTypes";
import { requireCustomer } from "./http/identity";
import { domainProblem } from "./http/domainProblems";
import { problem } from "./http/problems";
import { readJsonBody } from "./http/readJsonBody";
import { hashOf, idempotencyKeyOf, replay, toApiResponse } from "./placeOrderIdempotency";

export interface PlaceOrderLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface PlaceOrderDeps {
  readonly orders: OrderRepository;
  /** Names and prices, possibly cached (CATALOG_PRICE_CACHE_SECONDS). */
  readonly catalog: CatalogPrices;
  readonly publisher: MessagePublisher;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: PlaceOrderLogger;
  /** How long an Idempotency-Key is remembered. */
  readonly idempotencyTtlInSeconds: number;
  /** Bound on the inline publish; past it the outbox relay takes over. */
  readonly publishTimeoutInMs: number;
  /** Most units one customer may hold across unsettled orders (MAX_UNITS_HELD_PER_CUSTOMER). */
  readonly maxUnitsHeld: number;
  /** The traceparent of the span this request runs in, when tracing is on. */
  readonly activeTraceparent?: () => string | undefined;
}

/**
 * POST /api/orders. Validates, prices from the catalog, and writes the order, its
 * idempotency record and its OrderPlaced outbox entry in one transactional batch in the
 * customer's partition. Then it tries to publish OrderPlaced at once and marks the entry
 * sent; if Service Bus is unreachable the order stands (202) and the outbox relay
 * publishes it later. Same key + same body replays the stored answer; same key + another
 * body is 409.
 */
export function createPlaceOrderHandler(deps: PlaceOrderDeps): ApiHandler {
  return async (request: ApiRequest): Promise<ApiResponse> => {
    const customerId = requireCustomer(request);
    const key = idempotencyKeyOf(request);
    const body = await readJsonBody(request, CreateOrderRequestSchema);
    const requestHash = hashOf(body);

    // The replay lookup and the price reads are independent point reads: one round trip.
    const [existing, catalog] = await Promise.all([
      key === undefined ? undefined : deps.orders.findIdempotency(customerId, key),
      deps.catalog.getMany(body.items.map((item) => item.sku)),
    ]);
    if (existing !== undefined) return replay(existing, requestHash);
    const unknownLines = body.items.flatMap((item, index) =>
      catalog.has(item.sku) ? [] : [{ sku: item.sku, index }],
    );
    if (unknownLines.length > 0) {
      const unknown = unknownLines.map((line) => line.sku);
      throw domainProblem(
        "UnknownSku",
        `Unknown SKU${unknown.length === 1 ? "" : "s"}: ${unknown.join(", ")}.`,
        unknownLines.map((line) => ({
          path: `items[${line.index}].sku`,
          message: "is not in the catalog",
        })),
      );
    }
    const priced = [...catalog.values()];
    const mismatched = priced.filter((product) => product.price.currency !== body.currency);
    if (mismatched.length > 0) {
      throw domainProblem(
        "CurrencyMismatch",
        `Not sold in ${body.currency}: ${mismatched.map((product) => product.sku).join(", ")}.`,
      );
    }

    const now = deps.clock.now();
    const order = createOrder({ orderId: deps.ids.newId(), customerId, ...body }, priced, now);
    const eventId = deps.ids.newId();
    const trace = traceOf(request, eventId, deps.activeTraceparent?.());
    const response = acceptedResponse(order, trace.correlationid);
    const outbox = orderPlacedOutbox(order, eventId, now, trace);
    const idempotency: IdempotencyRecord | undefined =
      key === undefined
        ? undefined
        : {
            key,
            requestHash,
            response,
            expiresAt: new Date(now.getTime() + deps.idempotencyTtlInSeconds * 1000).toISOString(),
          };
    const outcome = await deps.orders.placeOrder({
      order,
      outbox,
      maxUnitsHeld: deps.maxUnitsHeld,
      ...(idempotency === undefined ? {} : { idempotency }),
    });
    if (outcome.kind === "idempotencyKeyTaken") return replay(outcome.existing, requestHash);
    if (outcome.kind === "holdLimitReached") throw holdLimitProblem(order, outcome.held, deps);

    // OrderPlaced leaves only once the order is indexed (the saga reads it by id); if the
    // index write failed, the relay writes it and then publishes.
    if (outcome.indexed) await publishNow(deps, outbox);
    else
      deps.logger.warn("order not indexed now; the outbox relay will index and publish it", {
        orderId: order.orderId,
      });
    return toApiResponse(response);
  };
}

/** docs/http-api.md "Hold limit": 409, since the same order can succeed once others settle. */
function holdLimitProblem(order: Order, held: number, deps: PlaceOrderDeps) {
  const units = unitsOf(order.items);
  return problem(
    409,
    `This order's ${units} units would take the units held in unsettled orders from ${held} past the limit of ${deps.maxUnitsHeld}.`,
    PROBLEM_TYPES.holdLimitExceeded,
    [
      {
        path: "items",
        message: `must hold at most ${Math.max(0, deps.maxUnitsHeld - held)} units now`,
      },
    ],
  );
}

interface RequestTrace {
  readonly correlationid: string;
  readonly traceparent?: string;
}

/**
 * The flow's correlation id is the caller's (APIM sets `x-correlation-id` on every request),
 * so one id ties the API call to every message of the order; without a usable one, the
 * OrderPlaced id opens the flow as before. A malformed header is ignored, not refused: it
 * is the gateway's or a tracer's, not part of the order. Same for `traceparent`.
 *
 * The stored traceparent is this request's own span when tracing is on (a child of the
 * caller's, when it sent one): the outbox relay may publish the event minutes later from a
 * timer invocation, and its send must still hang under the request that accepted the order.
 */
function traceOf(request: ApiRequest, eventId: string, active: string | undefined): RequestTrace {
  const correlation = CorrelationIdSchema.safeParse(request.headers.get(CORRELATION_ID_HEADER));
  const traceparent = TraceparentSchema.safeParse(
    active ?? request.headers.get(TRACEPARENT_HEADER),
  );
  return {
    correlationid: correlation.success ? correlation.data : eventId,
    ...(traceparent.success ? { traceparent: traceparent.data } : {}),
  };
}

/**
 * The correlation id is part of the stored answer, so a replay echoes the id the flow
 * actually carries, whatever the retry sent.
 */
function acceptedResponse(order: Order, correlationId: string): StoredResponse {
  const body: CreateOrderResponse = {
    orderId: order.orderId,
    status: order.status,
    total: order.total,
  };
  return {
    status: 202,
    headers: {
      Location: `/api/orders/${encodeURIComponent(order.orderId)}`,
      [CORRELATION_ID_HEADER]: correlationId,
    },
    body,
  };
}

function orderPlacedOutbox(
  order: Order,
  eventId: string,
  now: Date,
  trace: RequestTrace,
): OutboxEntry {
  const envelope = newEnvelope(
    OrderPlacedSchema,
    {
      id: eventId,
      time: now,
      source: MESSAGE_SOURCES.api,
      // OrderPlaced opens the order's flow: it is its own cause, and its correlation is
      // the API request's.
      ...trace,
      causationid: eventId,
    },
    {
      orderId: order.orderId,
      customerId: order.customerId,
      email: order.email,
      ...(order.phone === undefined ? {} : { phone: order.phone }),
      currency: order.currency,
      items: order.items,
      total: order.total,
    },
  );
  return {
    eventId,
    customerId: order.customerId,
    orderId: order.orderId,
    destination: ORDER_EVENTS_TOPIC,
    envelope,
    createdAt: now.toISOString(),
  };
}

/**
 * Best effort: the order is committed, so a failure here is not the caller's problem. The
 * entry stays pending and the relay sends it; messageId = event id makes a double send
 * harmless.
 */
async function publishNow(deps: PlaceOrderDeps, outbox: OutboxEntry): Promise<void> {
  try {
    await deps.publisher.publish(outbox.destination, outbox.envelope, {
      abortSignal: AbortSignal.timeout(deps.publishTimeoutInMs),
    });
  } catch (error) {
    deps.logger.warn("OrderPlaced not published now; the outbox relay will send it", {
      orderId: outbox.orderId,
      eventId: outbox.eventId,
      error: error instanceof Error ? error.message : String(error),
    });
    return;
  }
  try {
    await deps.orders.markOutboxSent(outbox.customerId, outbox.eventId, deps.clock.now());
  } catch (error) {
    deps.logger.warn("OrderPlaced published but not marked sent; the relay will re-send it", {
      orderId: outbox.orderId,
      eventId: outbox.eventId,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
