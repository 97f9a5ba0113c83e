import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
} from "@opentelemetry/api";
import { describeOrchestratorEpisode } from "./orchestratorEpisode";
import {
  ATTR_CLOUDEVENTS_TYPE,
  ATTR_CORRELATION_ID,
  ATTR_DEAD_LETTER_REASON,
  ATTR_FAAS_INVOCATION_ID,
  ATTR_FAAS_NAME,
  ATTR_FAAS_TRIGGER,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_MESSAGING_CONVERSATION_ID,
  ATTR_MESSAGING_DELIVERY_COUNT,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  ATTR_ORDER_ID,
  ATTR_SAGA_OUTCOME,
  ATTR_SAGA_STEP,
  ATTR_URL_PATH,
  SERVICE_BUS,
} from "./semconv";
import { contextOf, parseTraceparent } from "./traceparent";
import { appTracer, recordFailure } from "./tracer";
import { withSpanId } from "./spanIdOverride";

/** One function invocation as the Functions programming model hands it to a pre-invocation hook. */
export interface InvocationDescription {
  readonly functionName: string;
  readonly invocationId: string;
  /** The trigger binding's options (`type`, `queueName`, `route`, ...). */
  readonly trigger: Readonly<Record<string, unknown>>;
  readonly triggerMetadata: Readonly<Record<string, unknown>>;
  /**
   * The host's invocation trace context. Trusted as a parent only where the host exports
   * its own spans (Azure with `telemetryMode: OpenTelemetry`); the local host invents one
   * when the trigger carries none, and that span is never exported.
   */
  readonly hostTraceparent?: string;
  /** The trigger's value: the HttpRequest, the message body, the orchestration or activity input. */
  readonly input: unknown;
}

interface SpanPlan {
  readonly name: string;
  readonly kind: SpanKind;
  readonly parent: Context;
  readonly attributes: Attributes;
  readonly links?: Link[];
  /** A span id fixed in advance (an orchestrator episode's, which its activities already name). */
  readonly spanId?: string;
  /** Reads what only the result tells (HTTP status, the saga step an episode stopped at). */
  readonly onResult?: (span: Span, result: unknown) => void;
  /** Saga step spans the invocation reports once it succeeded. */
  readonly onSuccess?: (span: Span) => void;
}

type Fields = Readonly<Record<string, unknown>>;
const asFields = (value: unknown): Fields =>
  typeof value === "object" && value !== null ? (value as Fields) : {};
const text = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

function defined(attributes: Record<string, unknown>): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
      out[key] = value;
  }
  return out;
}

/** The first valid traceparent among the candidates, as a parent context. */
function firstContext(...candidates: unknown[]): Context {
  for (const candidate of candidates) {
    if (parseTraceparent(candidate)) return contextOf(candidate);
  }
  return ROOT_CONTEXT;
}

function parseJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/** A response header from a Headers object or a plain record, in any case. */
function headerOf(headers: unknown, name: string): unknown {
  const get = (headers as { get?: unknown } | undefined)?.get;
  if (typeof get === "function") return (get as (n: string) => unknown).call(headers, name);
  return Object.entries(asFields(headers)).find(([key]) => key.toLowerCase() === name)?.[1];
}

function httpPlan(d: InvocationDescription): SpanPlan {
  const request = asFields(d.input);
  const method = text(request.method) ?? "GET";
  const route = `/api/${text(d.trigger.route) ?? d.functionName}`;
  const headers = request.headers as { get?: (name: string) => string | null } | undefined;
  const url = text(request.url);
  const params = asFields(request.params);
  return {
    name: `${method} ${route}`,
    kind: SpanKind.SERVER,
    parent: firstContext(headers?.get?.("traceparent"), d.hostTraceparent),
    attributes: defined({
      [ATTR_FAAS_TRIGGER]: "http",
      [ATTR_HTTP_REQUEST_METHOD]: method,
      [ATTR_HTTP_ROUTE]: route,
      [ATTR_URL_PATH]: url === undefined ? undefined : new URL(url).pathname,
      [ATTR_ORDER_ID]: params.orderId,
    }),
    onResult(span, result) {
      const response = asFields(result);
      const status = typeof response.status === "number" ? response.status : 200;
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      // A new order is named only by the answer: its Location header.
      const location = headerOf(response.headers, "location");
      const created = /\/orders\/([^/?#]+)/.exec(text(location) ?? "");
      if (created?.[1] !== undefined && params.orderId === undefined)
        span.setAttribute(ATTR_ORDER_ID, decodeURIComponent(created[1]));
    },
  };
}

function serviceBusPlan(d: InvocationDescription): SpanPlan {
  const envelope = asFields(parseJson(d.input));
  const meta = d.triggerMetadata;
  const properties = asFields(meta.applicationProperties ?? meta.ApplicationProperties);
  const destination =
    text(d.trigger.queueName) ??
    [text(d.trigger.topicName), text(d.trigger.subscriptionName)].filter(Boolean).join("/");
  return {
    name: `process ${destination}`,
    kind: SpanKind.CONSUMER,
    // The sender's producer span: the SDKs and Azure carry it in Diagnostic-Id, this app in
    // traceparent too; a message from elsewhere may carry it in its envelope only.
    parent: firstContext(
      properties["Diagnostic-Id"],
      properties.traceparent,
      envelope.traceparent,
      d.hostTraceparent,
    ),
    attributes: defined({
      [ATTR_FAAS_TRIGGER]: "pubsub",
      [ATTR_MESSAGING_SYSTEM]: SERVICE_BUS,
      [ATTR_MESSAGING_OPERATION_TYPE]: "process",
      [ATTR_MESSAGING_DESTINATION_NAME]: destination,
      [ATTR_MESSAGING_MESSAGE_ID]: text(meta.messageId),
      [ATTR_MESSAGING_DELIVERY_COUNT]: meta.deliveryCount,
      [ATTR_MESSAGING_CONVERSATION_ID]: envelope.correlationid,
      [ATTR_CORRELATION_ID]: envelope.correlationid,
      [ATTR_ORDER_ID]: envelope.subject,
      [ATTR_CLOUDEVENTS_TYPE]: envelope.type,
      [ATTR_SAGA_STEP]: envelope.type,
    }),
  };
}

function activityPlan(d: InvocationDescription): SpanPlan {
  const input = asFields(d.input);
  const traceInfo = asFields(input.trace);
  const step = asFields(input.step);
  const named = asFields(input.command ?? input.event);
  const at = Date.parse(text(input.at) ?? "");
  return {
    name: `activity ${d.functionName}`,
    kind: SpanKind.SERVER,
    // The episode that scheduled it (the orchestrator puts its traceparent in the input).
    parent: firstContext(traceInfo.traceparent, d.hostTraceparent),
    attributes: defined({
      [ATTR_FAAS_TRIGGER]: "other",
      [ATTR_ORDER_ID]: traceInfo.orderId ?? input.orderId,
      [ATTR_CORRELATION_ID]: traceInfo.correlationId,
      [ATTR_SAGA_STEP]: text(named.type) ?? text(step.step) ?? text(input.status),
      "saga.status": input.status,
    }),
    onSuccess(span) {
      // The step this call closes, timed by the orchestrator on its own clock (start and
      // end are history timestamps): one span per step, however often the saga replays.
      const name = text(step.step);
      if (name === undefined || typeof step.durationMs !== "number" || Number.isNaN(at)) return;
      const stepSpan = appTracer().startSpan(
        `saga step ${name}`,
        {
          kind: SpanKind.INTERNAL,
          startTime: new Date(at - step.durationMs),
          attributes: defined({
            [ATTR_ORDER_ID]: traceInfo.orderId,
            [ATTR_SAGA_STEP]: name,
            [ATTR_SAGA_OUTCOME]: step.outcome,
          }),
        },
        trace.setSpan(ROOT_CONTEXT, span),
      );
      stepSpan.end(new Date(at));
    },
  };
}

function genericPlan(d: InvocationDescription, trigger: string): SpanPlan {
  return {
    name: d.functionName,
    kind: SpanKind.SERVER,
    parent: firstContext(d.hostTraceparent),
    attributes: { [ATTR_FAAS_TRIGGER]: trigger === "timerTrigger" ? "timer" : "other" },
  };
}

function planFor(d: InvocationDescription): SpanPlan {
  const type = text(d.trigger.type) ?? "";
  switch (type) {
    case "httpTrigger":
      return httpPlan(d);
    case "serviceBusTrigger":
      return serviceBusPlan(d);
    case "activityTrigger":
      return activityPlan(d);
    case "orchestrationTrigger":
      return describeOrchestratorEpisode(d) ?? genericPlan(d, type);
    default:
      return genericPlan(d, type);
  }
}

/**
 * Runs one function invocation inside its span: SERVER for HTTP, timers, orchestrator
 * episodes and activities, CONSUMER for Service Bus (OpenTelemetry FaaS and messaging
 * conventions). Every span the code makes meanwhile (SDK client spans, sends) is its child.
 * What the handler throws is recorded on the span (a poison message's error included) and
 * thrown on.
 */
export async function traceInvocation(
  d: InvocationDescription,
  run: () => unknown,
): Promise<unknown> {
  const plan = planFor(d);
  const start = () =>
    appTracer().startSpan(
      plan.name,
      {
        kind: plan.kind,
        attributes: {
          ...plan.attributes,
          [ATTR_FAAS_NAME]: d.functionName,
          [ATTR_FAAS_INVOCATION_ID]: d.invocationId,
        },
        ...(plan.links ? { links: plan.links } : {}),
      },
      plan.parent,
    );
  const span = plan.spanId === undefined ? start() : withSpanId(plan.spanId, start);
  try {
    const result = await context.with(trace.setSpan(plan.parent, span), run);
    plan.onResult?.(span, result);
    plan.onSuccess?.(span);
    return result;
  } catch (error) {
    recordFailure(span, error);
    const reason = asFields(error).deadLetterReason;
    if (typeof reason === "string") span.setAttribute(ATTR_DEAD_LETTER_REASON, reason);
    throw error;
  } finally {
    span.end();
  }
}

export type { SpanPlan };
