import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT_CONTEXT } from "@opentelemetry/api";
import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { readSpanFile } from "./spanFile";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "span-file-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** One OTLP JSON line per span name, as the app's exporter writes a batch. */
function otlpLines(names: readonly string[]): string {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer("test");
  for (const name of names) tracer.startSpan(name, {}, ROOT_CONTEXT).end();
  return memory
    .getFinishedSpans()
    .map(
      (span) =>
        `${Buffer.from(JsonTraceSerializer.serializeRequest([span]) ?? []).toString("utf8")}\n`,
    )
    .join("");
}

describe("the traces file", () => {
  it("is read with the file it rotated out before (<file>.1), oldest spans first", () => {
    const file = path.join(dir, "spans.jsonl");
    writeFileSync(`${file}.1`, otlpLines(["span-0", "span-1"]));
    writeFileSync(file, otlpLines(["span-2", "span-3"]));
    expect(readSpanFile(file).map((s) => s.name)).toEqual(["span-0", "span-1", "span-2", "span-3"]);
  });

  it("is read alone while nothing has rotated", () => {
    const file = path.join(dir, "spans.jsonl");
    writeFileSync(file, otlpLines(["only"]));
    expect(readSpanFile(file).map((s) => s.name)).toEqual(["only"]);
  });
});
