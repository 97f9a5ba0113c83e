import { context } from "@opentelemetry/api";
import { suppressTracing } from "@opentelemetry/core";

/**
 * Runs the engine's own storage calls (task hub tables, control queues, partition leases)
 * with tracing suppressed. The app registers OpenTelemetry with the Azure SDK
 * instrumentation in the host process, so without this every table and queue request of the
 * local engine became a span in the order's trace: more than half of all spans, and none of
 * them exists in Azure, where the Durable extension runs in the Functions host, not in the
 * app's worker. Nothing is recorded when no OpenTelemetry SDK is registered either way.
 */
export function untraced<T>(call: () => Promise<T>): Promise<T> {
  return context.with(suppressTracing(context.active()), call);
}
