import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";

/**
 * Writes spans to a file as OTLP JSON lines: one ExportTraceServiceRequest per line, the
 * format of the OpenTelemetry Collector's file exporter and of the OTLP file exporter spec
 * (https://opentelemetry.io/docs/specs/otel/protocol/file-exporter/). Appends are whole
 * lines, so several processes (the host, a test, a bench) may share one file.
 */
export class OtlpJsonLinesExporter implements SpanExporter {
  private stopped = false;

  constructor(private readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (this.stopped || spans.length === 0) {
      done({ code: ExportResultCode.SUCCESS });
      return;
    }
    try {
      const body = JsonTraceSerializer.serializeRequest(spans);
      if (body === undefined) throw new Error("the OTLP JSON serializer returned nothing");
      appendFileSync(this.file, `${Buffer.from(body).toString("utf8")}\n`);
      done({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      done({
        code: ExportResultCode.FAILED,
        error: error instanceof Error ? error : new Error(String(error)),
      });
    }
  }

  shutdown(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}
