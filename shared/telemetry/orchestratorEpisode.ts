import { ROOT_CONTEXT, SpanKind, trace, type Link } from "@opentelemetry/api";
import type { InvocationDescription, SpanPlan } from "./invocationSpans";
import {
  ATTR_DURABLE_EPISODE_EVENTS,
  ATTR_DURABLE_INSTANCE_ID,
  ATTR_FAAS_TRIGGER,
  ATTR_ORDER_ID,
  ATTR_SAGA_STEP,
} from "./semconv";
import { contextOf, episodeSpanId, parseTraceparent } from "./traceparent";

/** History event types of the Durable Task protocol (durable-functions' HistoryEventType). */
const ORCHESTRATOR_STARTED = 12;
const EVENT_RAISED = 15;
const EVENT_NAMES: Readonly<Record<number, string>> = {
  0: "ExecutionStarted",
  5: "TaskCompleted",
  6: "TaskFailed",
  11: "TimerFired",
  15: "EventRaised",
};

type Fields = Readonly<Record<string, unknown>>;
const asFields = (value: unknown): Fields =>
  typeof value === "object" && value !== null ? (value as Fields) : {};

function parsed(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The span of one orchestrator episode. An episode is one invocation of the orchestrator:
 * durable-functions replays the whole history in it, but the invocation happens once per
 * episode, so a replay adds no span. Its id is fixed by the episode's start (the newest
 * OrchestratorStarted), which is how the activities it schedules already name it. Its parent
 * is what woke it: the span that raised the event (the traceparent the raiser put in the
 * event's data), or else the saga's start (the traceparent in the orchestration input).
 */
export function describeOrchestratorEpisode(d: InvocationDescription): SpanPlan | undefined {
  const binding = asFields(parsed(d.input));
  const instanceId = typeof binding.instanceId === "string" ? binding.instanceId : undefined;
  const history = Array.isArray(binding.history) ? (binding.history as Fields[]) : [];
  const started = history.filter((e) => e.EventType === ORCHESTRATOR_STARTED).at(-1);
  const startMs = started === undefined ? NaN : new Date(started.Timestamp as string).getTime();
  if (instanceId === undefined || Number.isNaN(startMs)) return undefined;

  const sagaTrace = asFields(asFields(parsed(binding.input)).trace).traceparent;
  const delivered = history.filter((e) => e.IsPlayed === false);
  const saga = parseTraceparent(sagaTrace);
  const raisers = delivered
    .filter((e) => e.EventType === EVENT_RAISED)
    .flatMap((e) => {
      const spanContext = parseTraceparent(asFields(parsed(e.Input)).traceparent);
      return spanContext ? [spanContext] : [];
    });
  // The parent must be in the saga's trace, where the episode's activities look for it; a
  // raiser from another trace (a cancel sent with a trace of its own) becomes a link.
  const parent = raisers.find((r) => saga === undefined || r.traceId === saga.traceId);
  const links: Link[] = raisers.filter((r) => r !== parent).map((r) => ({ context: r }));
  const events = delivered
    .map((e) => {
      const name = EVENT_NAMES[e.EventType as number];
      if (name === undefined) return undefined;
      return typeof e.Name === "string" && e.EventType === EVENT_RAISED
        ? `${name}:${e.Name}`
        : name;
    })
    .filter((n): n is string => n !== undefined);
  return {
    name: `orchestrator ${d.functionName}`,
    kind: SpanKind.SERVER,
    parent: parent
      ? trace.setSpanContext(ROOT_CONTEXT, parent)
      : contextOf(sagaTrace ?? d.hostTraceparent),
    attributes: {
      [ATTR_FAAS_TRIGGER]: "other",
      [ATTR_DURABLE_INSTANCE_ID]: instanceId,
      [ATTR_ORDER_ID]: instanceId,
      [ATTR_DURABLE_EPISODE_EVENTS]: events.join(","),
    },
    ...(links.length > 0 ? { links } : {}),
    // Without a saga trace the activities name no episode, so the id need not be fixed.
    ...(saga ? { spanId: episodeSpanId(instanceId, startMs) } : {}),
    onResult(span, result) {
      const status = asFields(parsed(result));
      const step = asFields(status.customStatus).step;
      if (typeof step === "string") span.setAttribute(ATTR_SAGA_STEP, step);
      if (status.isDone === true) span.setAttribute("durable.completed", true);
    },
  };
}
