import { readFileSync } from "node:fs";

/**
 * Spans as `npm run trace` and the tests read them from an OTLP JSON lines file (one
 * ExportTraceServiceRequest per line: https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding,
 * ids as hex, times as nanosecond strings).
 */
export interface SpanRecord {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: SpanKindName;
  /** Milliseconds since the epoch, fractional. */
  readonly startMs: number;
  readonly endMs: number;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  readonly status: "unset" | "ok" | "error";
  readonly statusMessage?: string;
  /** Exception events: type and message. */
  readonly exceptions: readonly { readonly type: string; readonly message: string }[];
  readonly links: readonly { readonly traceId: string; readonly spanId: string }[];
  readonly service?: string;
}

export type SpanKindName = "internal" | "server" | "client" | "producer" | "consumer";
const KINDS: readonly SpanKindName[] = [
  "internal",
  "internal",
  "server",
  "client",
  "producer",
  "consumer",
];
const STATUS = ["unset", "ok", "error"] as const;

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpKeyValue {
  key: string;
  value?: OtlpValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes?: OtlpKeyValue[];
  status?: { code?: number; message?: string };
  events?: { name: string; attributes?: OtlpKeyValue[] }[];
  links?: { traceId: string; spanId: string }[];
}
interface OtlpRequest {
  resourceSpans?: {
    resource?: { attributes?: OtlpKeyValue[] };
    scopeSpans?: { spans?: OtlpSpan[] }[];
  }[];
}

function valueOf(value: OtlpValue | undefined): string | number | boolean | undefined {
  if (value === undefined) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  return value.boolValue;
}

function attributesOf(list: OtlpKeyValue[] | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of list ?? []) {
    const v = valueOf(value);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** Nanoseconds (a decimal string, beyond 2^53) to fractional milliseconds. */
const toMs = (nanos: string | number): number => Number(BigInt(nanos) / 1000n) / 1000;

/** Every span in the OTLP JSON lines text; a span id seen twice is kept once (the first). */
export function parseSpanLines(text: string): SpanRecord[] {
  const seen = new Set<string>();
  const spans: SpanRecord[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const request = JSON.parse(line) as OtlpRequest;
    for (const resourceSpans of request.resourceSpans ?? []) {
      const service = attributesOf(resourceSpans.resource?.attributes)["service.name"];
      for (const scope of resourceSpans.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          const key = `${span.traceId}/${span.spanId}`;
          if (seen.has(key)) continue;
          seen.add(key);
          spans.push(toRecord(span, typeof service === "string" ? service : undefined));
        }
      }
    }
  }
  return spans;
}

function toRecord(span: OtlpSpan, service: string | undefined): SpanRecord {
  const exceptions = (span.events ?? [])
    .filter((e) => e.name === "exception")
    .map((e) => {
      const a = attributesOf(e.attributes);
      return {
        type: String(a["exception.type"] ?? ""),
        message: String(a["exception.message"] ?? ""),
      };
    });
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
    name: span.name,
    kind: KINDS[span.kind ?? 1] ?? "internal",
    startMs: toMs(span.startTimeUnixNano),
    endMs: toMs(span.endTimeUnixNano),
    attributes: attributesOf(span.attributes),
    status: STATUS[span.status?.code ?? 0] ?? "unset",
    ...(span.status?.message ? { statusMessage: span.status.message } : {}),
    exceptions,
    links: (span.links ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId })),
    ...(service === undefined ? {} : { service }),
  };
}

/**
 * The spans of the traces file and of the file it rotated out before: the app's exporter
 * (`OtlpJsonLinesExporter`) moves a full file to `<file>.1` and starts a new one.
 */
export function readSpanFile(file: string): SpanRecord[] {
  return [...readOne(`${file}.1`), ...readOne(file)];
}

function readOne(file: string): SpanRecord[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return parseSpanLines(text);
}
