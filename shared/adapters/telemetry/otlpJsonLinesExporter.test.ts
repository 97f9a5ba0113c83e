import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT_CONTEXT } from "@opentelemetry/api";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { OtlpJsonLinesExporter, previousTracesFile } from "./otlpJsonLinesExporter";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "otlp-lines-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The span names in a file of OTLP JSON lines, in order. */
function namesIn(file: string): string[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.length > 0)
    .flatMap((line) => {
      const request = JSON.parse(line) as {
        resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[];
      };
      return request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    })
    .map((span) => span.name);
}

describe("OtlpJsonLinesExporter", () => {
  it("stays bounded: a full file moves to <file>.1 and a new one starts", async () => {
    const file = path.join(dir, "spans.jsonl");
    const maxBytes = 4096;
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(new OtlpJsonLinesExporter(file, maxBytes))],
    });
    const tracer = provider.getTracer("test");
    const names = Array.from({ length: 60 }, (_, i) => `span-${i}`);
    for (const name of names) tracer.startSpan(name, {}, ROOT_CONTEXT).end();
    await provider.forceFlush();

    expect(previousTracesFile(file)).toBe(`${file}.1`);
    expect(readdirSync(dir).sort()).toEqual(["spans.jsonl", "spans.jsonl.1"]);
    // A file grows past the bound by at most the one line that found it full.
    for (const f of readdirSync(dir))
      expect(statSync(path.join(dir, f)).size).toBeLessThan(2 * maxBytes);
    // The newest spans are all there, in order; the oldest went with an earlier rotation.
    const kept = [...namesIn(`${file}.1`), ...namesIn(file)];
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(names.length);
    expect(kept).toEqual(names.slice(names.length - kept.length));
    await provider.shutdown();
  });
});
