import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT_CONTEXT } from "@opentelemetry/api";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { OtlpJsonLinesExporter } from "../../shared/adapters/telemetry/otlpJsonLinesExporter";
import { readSpanFile } from "./spanFile";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "span-file-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the traces file", () => {
  it("stays bounded: a full file moves to <file>.1, and both are read", async () => {
    const file = path.join(dir, "spans.jsonl");
    const maxBytes = 4096;
    const exporter = new OtlpJsonLinesExporter(file, maxBytes);
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer("test");
    const names = Array.from({ length: 60 }, (_, i) => `span-${i}`);
    for (const name of names) tracer.startSpan(name, {}, ROOT_CONTEXT).end();
    await provider.forceFlush();

    expect(readdirSync(dir).sort()).toEqual(["spans.jsonl", "spans.jsonl.1"]);
    // A file grows past the bound by at most the one line that found it full.
    for (const f of readdirSync(dir))
      expect(statSync(path.join(dir, f)).size).toBeLessThan(2 * maxBytes);
    // The newest spans are all there, in order; the oldest went with an earlier rotation.
    const read = readSpanFile(file).map((s) => s.name);
    expect(read.length).toBeGreaterThan(0);
    expect(read.length).toBeLessThan(names.length);
    expect(read).toEqual(names.slice(names.length - read.length));
    await provider.shutdown();
  });
});
