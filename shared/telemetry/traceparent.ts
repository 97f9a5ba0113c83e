import { createHash } from "node:crypto";
import {
  ROOT_CONTEXT,
  TraceFlags,
  isSpanContextValid,
  trace,
  type Context,
  type SpanContext,
} from "@opentelemetry/api";

/**
 * W3C Trace Context `traceparent` values (https://www.w3.org/TR/trace-context/#traceparent-header)
 * as they travel in this app: in HTTP headers, in Service Bus application properties
 * (`Diagnostic-Id`, `traceparent`), in CloudEvents envelopes and in Durable inputs.
 */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The span context a traceparent names, or undefined when it is absent or malformed. */
export function parseTraceparent(value: unknown): SpanContext | undefined {
  if (typeof value !== "string") return undefined;
  const match = TRACEPARENT.exec(value.trim());
  if (!match) return undefined;
  const [, traceId, spanId, flags] = match as unknown as [string, string, string, string];
  const spanContext: SpanContext = {
    traceId,
    spanId,
    traceFlags: parseInt(flags, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  };
  return isSpanContextValid(spanContext) ? spanContext : undefined;
}

export function formatTraceparent(spanContext: SpanContext): string {
  const flags = (spanContext.traceFlags & TraceFlags.SAMPLED).toString(16).padStart(2, "0");
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}

/** A context whose parent is the given traceparent (ROOT when none is valid). */
export function contextOf(traceparent: unknown): Context {
  const spanContext = parseTraceparent(traceparent);
  return spanContext ? trace.setSpanContext(ROOT_CONTEXT, spanContext) : ROOT_CONTEXT;
}

/** The traceparent of the span active now, when tracing is on and a span is active. */
export function activeTraceparent(): string | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && isSpanContextValid(spanContext)
    ? formatTraceparent(spanContext)
    : undefined;
}

/**
 * The traceparent of an orchestrator episode, derived from the saga's trace and the
 * episode's start time, which is what `currentUtcDateTime` reads while the orchestrator runs
 * (durable-functions sets it from the episode's OrchestratorStarted event). Replays compute
 * the same value, so the orchestrator stays deterministic while every activity it schedules
 * names the episode that scheduled it as its parent; the invocation hook opens the episode's
 * span under this same id. Durable Functions for JavaScript propagates no trace context
 * itself (durable-js issue #256; native propagation is the open PR #733).
 */
export function episodeTraceparent(
  sagaTraceparent: string | undefined,
  instanceId: string,
  episodeStartMs: number,
): string | undefined {
  const saga = parseTraceparent(sagaTraceparent);
  if (saga === undefined) return undefined;
  return formatTraceparent({ ...saga, spanId: episodeSpanId(instanceId, episodeStartMs) });
}

export function episodeSpanId(instanceId: string, episodeStartMs: number): string {
  const digest = createHash("sha256").update(`${instanceId}|${episodeStartMs}`).digest("hex");
  // An all-zero span id is invalid; the odds are 2^-64, but the id must always be valid.
  return /^0+$/.test(digest.slice(0, 16)) ? digest.slice(16, 32) : digest.slice(0, 16);
}
