import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { OtlpJsonLinesExporter } from "../../shared/adapters/telemetry/otlpJsonLinesExporter";
import { orderTrace } from "./orderTrace";
import { readSpanFile } from "./spanFile";
import { renderHtml, renderText } from "./waterfall";

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "waterfall-"));
  file = path.join(dir, "spans.jsonl");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Spans written by the app's exporter, as the host writes them. */
async function writeOrder(orderId: string): Promise<void> {
  const provider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(new OtlpJsonLinesExporter(file))],
  });
  const tracer = provider.getTracer("test");
  const at = (ms: number) => new Date(Date.UTC(2026, 10, 29, 12, 0, 0, ms));
  const root = tracer.startSpan("POST /api/orders", {
    kind: SpanKind.SERVER,
    startTime: at(0),
    attributes: { "order.id": orderId, "http.response.status_code": 202 },
  });
  const inRoot = trace.setSpan(ROOT_CONTEXT, root);
  const send = tracer.startSpan(
    "send order-events",
    { kind: SpanKind.PRODUCER, startTime: at(5) },
    inRoot,
  );
  send.end(at(9));
  const worker = tracer.startSpan(
    "process inventory",
    { kind: SpanKind.CONSUMER, startTime: at(20), attributes: { "saga.step": "ReserveInventory" } },
    trace.setSpan(ROOT_CONTEXT, send),
  );
  worker.setStatus({ code: SpanStatusCode.ERROR, message: "boom" });
  worker.end(at(60));
  root.end(at(12));
  // A read of the order is a trace of its own, left out of the order's waterfall.
  tracer
    .startSpan("GET /api/orders/{orderId}", {
      kind: SpanKind.SERVER,
      attributes: { "order.id": orderId, "http.request.method": "GET" },
    })
    .end();
  await provider.shutdown();
}

describe("npm run trace", () => {
  it("reads the exporter's OTLP JSON lines back into the order's span tree", async () => {
    await writeOrder("order-1");
    const spans = readSpanFile(file);
    expect(spans).toHaveLength(4);
    const order = orderTrace(spans, "order-1");
    expect(order.traceIds).toHaveLength(1);
    expect(order.roots).toHaveLength(1);
    expect(order.roots[0]?.span.name).toBe("POST /api/orders");
    expect(order.roots[0]?.children[0]?.span.name).toBe("send order-events");
    expect(order.roots[0]?.children[0]?.children[0]?.span).toMatchObject({
      name: "process inventory",
      kind: "consumer",
      status: "error",
      startMs: Date.UTC(2026, 10, 29, 12, 0, 0, 20),
      endMs: Date.UTC(2026, 10, 29, 12, 0, 0, 60),
    });
  });

  it("prints a waterfall: the tree, offsets, durations and bars on one timeline", async () => {
    await writeOrder("order-1");
    const text = renderText(orderTrace(readSpanFile(file), "order-1"), 20);
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^Order order-1: 3 spans in 1 trace\(s\) .*, 60ms$/);
    expect(lines[2]).toMatch(/^POST \/api\/orders \[202\]\s+\+0\.0ms\s+12ms \|████ {16}\|$/);
    expect(lines[3]).toMatch(/^ {2}send order-events\s+\+5\.0ms\s+4\.0ms \| ██ {17}\|$/);
    expect(lines[4]).toMatch(
      /^ {4}process inventory \[ReserveInventory · ERROR: boom\]\s+\+20ms\s+40ms \| {6}█{14}\|$/,
    );
  });

  it("writes a self-contained HTML page", async () => {
    await writeOrder("order-1");
    const html = renderHtml(orderTrace(readSpanFile(file), "order-1"));
    expect(html).toContain("<h1>Order order-1</h1>");
    expect(html).not.toMatch(/<script|<link|src=/);
    expect(html.match(/<tr /g)).toHaveLength(3);
  });

  it("finds no spans for an unknown order, and none in a missing file", () => {
    expect(readSpanFile(path.join(dir, "none.jsonl"))).toEqual([]);
    expect(renderText(orderTrace([], "nope"))).toBe("No spans for order nope.\n");
  });
});
