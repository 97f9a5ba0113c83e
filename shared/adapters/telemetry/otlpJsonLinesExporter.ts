import { appendFileSync, mkdirSync, renameSync, statSync } from "node:fs";
import path from "node:path";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";

/**
 * Writes spans to a file as OTLP JSON lines: one ExportTraceServiceRequest per line, the
 * format of the OpenTelemetry Collector's file exporter and of the OTLP file exporter spec
 * (https://opentelemetry.io/docs/specs/otel/protocol/file-exporter/). Appends are whole
 * lines, so several processes (the host, a test, a bench) may share one file.
 *
 * The file is bounded: once it holds `maxBytes`, it becomes `<file>.1` (replacing the one
 * before) and a new file starts, so a stack left running keeps at most about twice that on
 * disk, and `npm run trace` (which reads both) still finds the recent orders.
 */
export const DEFAULT_TRACES_FILE_MAX_BYTES = 64 * 1024 * 1024;

/** The rotated file that holds the spans before the current file's. */
export const previousTracesFile = (file: string): string => `${file}.1`;

export class OtlpJsonLinesExporter implements SpanExporter {
  private stopped = false;

  constructor(
    private readonly file: string,
    private readonly maxBytes = DEFAULT_TRACES_FILE_MAX_BYTES,
  ) {
    mkdirSync(path.dirname(file), { recursive: true });
  }

  /** Moves a full file aside; another process sharing the file may have done it already. */
  private rotateIfFull(): void {
    let size: number;
    try {
      size = statSync(this.file).size;
    } catch {
      return;
    }
    if (size < this.maxBytes) return;
    try {
      renameSync(this.file, previousTracesFile(this.file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (this.stopped || spans.length === 0) {
      done({ code: ExportResultCode.SUCCESS });
      return;
    }
    try {
      const body = JsonTraceSerializer.serializeRequest(spans);
      if (body === undefined) throw new Error("the OTLP JSON serializer returned nothing");
      this.rotateIfFull();
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
