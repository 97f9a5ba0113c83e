import path from "node:path";
import { DefaultAzureCredential } from "@azure/identity";
import {
  AzureMonitorLogExporter,
  AzureMonitorTraceExporter,
} from "@azure/monitor-opentelemetry-exporter";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchLogRecordProcessor, LoggerProvider } from "@opentelemetry/sdk-logs";
import {
  BatchSpanProcessor,
  RandomIdGenerator,
  type IdGenerator,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import { OtlpJsonLinesExporter } from "../adapters/telemetry/otlpJsonLinesExporter";
import type { TracingSettings } from "../config/settings";
import { takeSpanId } from "../telemetry/spanIdOverride";
import { TRACER_NAME } from "../telemetry/tracer";
import type { TelemetryInstrumentations } from "./telemetryInstrumentations";

/**
 * The OpenTelemetry SDK, wired once per process: the only place that builds it. Spans go to
 * every exporter the settings name:
 * - Application Insights, when APPLICATIONINSIGHTS_CONNECTION_STRING is set, through the Azure
 *   Monitor exporter with the app's managed identity (Entra ID ingestion, as the host's own
 *   telemetry uses; https://learn.microsoft.com/azure/azure-monitor/app/azure-ad-authentication);
 * - an OTLP/HTTP endpoint, when OTEL_EXPORTER_OTLP_ENDPOINT is set (a collector, Jaeger, ...);
 * - a file of OTLP JSON lines, when TRACES_FILE is set (locally `.local/traces/spans.jsonl`,
 *   which `npm run trace` reads).
 * OTEL_SDK_DISABLED=true registers nothing: every span call is then the API's no-op.
 */
export interface Telemetry {
  /** Exports what is buffered (the host calls it at shutdown; tests before reading the file). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Span ids are random, except an orchestrator episode's, which is fixed in advance. */
class EpisodeAwareIdGenerator implements IdGenerator {
  private readonly random = new RandomIdGenerator();
  generateTraceId(): string {
    return this.random.generateTraceId();
  }
  generateSpanId(): string {
    return takeSpanId() ?? this.random.generateSpanId();
  }
}

/** Batches are small and frequent: a local waterfall should be readable a second later. */
const BATCH = { scheduledDelayMillis: 500, maxExportBatchSize: 512, maxQueueSize: 8192 };

function spanProcessors(settings: TracingSettings, azureClientId?: string): SpanProcessor[] {
  const processors: SpanProcessor[] = [];
  if (settings.azureMonitorConnectionString !== undefined) {
    const credential = new DefaultAzureCredential(
      azureClientId === undefined ? {} : { managedIdentityClientId: azureClientId },
    );
    processors.push(
      new BatchSpanProcessor(
        new AzureMonitorTraceExporter({
          connectionString: settings.azureMonitorConnectionString,
          credential,
        }),
      ),
    );
  }
  if (settings.otlpEndpoint !== undefined) {
    const url = `${settings.otlpEndpoint.replace(/\/+$/, "")}/v1/traces`;
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url }), BATCH));
  }
  if (settings.file !== undefined) {
    processors.push(
      new BatchSpanProcessor(new OtlpJsonLinesExporter(path.resolve(settings.file)), BATCH),
    );
  }
  return processors;
}

/** In Azure, the Functions instrumentation sends the worker's logs: to Application Insights. */
function azureLogs(settings: TracingSettings, azureClientId?: string): LoggerProvider | undefined {
  if (settings.azureMonitorConnectionString === undefined) return undefined;
  const credential = new DefaultAzureCredential(
    azureClientId === undefined ? {} : { managedIdentityClientId: azureClientId },
  );
  return new LoggerProvider({
    processors: [
      new BatchLogRecordProcessor(
        new AzureMonitorLogExporter({
          connectionString: settings.azureMonitorConnectionString,
          credential,
        }),
      ),
    ],
  });
}

export function startTelemetry(
  settings: TracingSettings,
  instrumentations: TelemetryInstrumentations,
  azureClientId?: string,
): Telemetry {
  const processors = settings.enabled ? spanProcessors(settings, azureClientId) : [];
  if (processors.length === 0) {
    instrumentations.azureSdk.disable();
    return { flush: () => Promise.resolve(), shutdown: () => Promise.resolve() };
  }
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      // Application Insights names the application map's node after it (cloud_RoleName).
      [ATTR_SERVICE_NAME]: process.env.OTEL_SERVICE_NAME ?? TRACER_NAME,
    }),
    idGenerator: new EpisodeAwareIdGenerator(),
    spanProcessors: processors,
  });
  // AsyncLocalStorage context and the W3C trace-context propagator.
  provider.register();
  const logs = azureLogs(settings, azureClientId);
  if (logs !== undefined) instrumentations.functions()?.setLoggerProvider(logs);
  return {
    flush: () => provider.forceFlush(),
    async shutdown() {
      await Promise.allSettled([provider.shutdown(), logs?.shutdown()]);
    },
  };
}
