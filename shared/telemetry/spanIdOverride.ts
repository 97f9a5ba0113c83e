/**
 * A span id chosen before the span starts: an orchestrator episode's, which its activities
 * already name as their parent (see episodeTraceparent). The OpenTelemetry API lets no caller
 * pick a span id, so the SDK's id generator (shared/composition/telemetryRoot.ts) takes it
 * from here. `startSpan` asks for the id synchronously, so nothing else can start a span
 * between setting and taking it.
 */
let pending: string | undefined;

export function withSpanId<T>(spanId: string, start: () => T): T {
  pending = spanId;
  try {
    return start();
  } finally {
    pending = undefined;
  }
}

/** The id set by the enclosing `withSpanId`, once; undefined otherwise. */
export function takeSpanId(): string | undefined {
  const id = pending;
  pending = undefined;
  return id;
}
