import {
  SpanKind,
  SpanStatusCode,
  context,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from "@opentelemetry/api";
import { ATTR_ERROR_TYPE } from "./semconv";

/**
 * The app's spans, through the OpenTelemetry API only: with no SDK registered (a unit test,
 * tracing switched off) every call is a no-op. The SDK is wired in
 * shared/composition/telemetryRoot.ts.
 */
export const TRACER_NAME = "order-processing";

export function appTracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

/** Marks the span failed with what was thrown (an exception event, status ERROR, error.type). */
export function recordFailure(span: Span, error: unknown): void {
  const thrown = error instanceof Error ? error : new Error(String(error));
  span.recordException(thrown);
  span.setStatus({ code: SpanStatusCode.ERROR, message: thrown.message });
  span.setAttribute(ATTR_ERROR_TYPE, thrown.name || "Error");
}

/**
 * Runs `work` in a new span (active inside it) under `parent` (the active context by default),
 * ends it, and records a failure on it before rethrowing.
 */
export async function inSpan<T>(
  name: string,
  options: {
    kind: SpanKind;
    attributes?: Attributes;
    parent?: Context;
    /** Whether a throw is the operation failing (a 404 a caller expects is not); yes by default. */
    isFailure?: (error: unknown) => boolean;
  },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent ?? context.active();
  return appTracer().startActiveSpan(
    name,
    { kind: options.kind, ...(options.attributes ? { attributes: options.attributes } : {}) },
    parent,
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        if (options.isFailure?.(error) ?? true) recordFailure(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

export { SpanKind };
