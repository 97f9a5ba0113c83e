/**
 * `npm run trace -- <orderId> [--file <spans.jsonl>] [--html <out.html>]`: one order's spans
 * as a waterfall, from the OTLP JSON lines the local host writes (TRACES_FILE, by default
 * `.local/traces/spans.jsonl`). `--html` also writes a self-contained page.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../repoRoot";
import { orderTrace } from "./orderTrace";
import { readSpanFile } from "./spanFile";
import { renderHtml, renderText } from "./waterfall";

const USAGE = "usage: npm run trace -- <orderId> [--file <spans.jsonl>] [--html <out.html>]";

export function runTraceCli(argv: readonly string[]): number {
  const args = [...argv];
  const option = (name: string): string | undefined => {
    const at = args.indexOf(name);
    if (at < 0) return undefined;
    const value = args[at + 1];
    args.splice(at, 2);
    if (value === undefined) throw new Error(`${name} needs a value\n${USAGE}`);
    return value;
  };
  const file =
    option("--file") ??
    process.env.TRACES_FILE ??
    path.join(REPO_ROOT, ".local/traces/spans.jsonl");
  const html = option("--html");
  const orderId = args[0];
  if (orderId === undefined || args.length > 1) {
    console.error(USAGE);
    return 2;
  }
  const trace = orderTrace(readSpanFile(file), orderId);
  if (trace.spans.length === 0) {
    console.error(`No spans name order ${orderId} in ${file}.`);
    return 1;
  }
  process.stdout.write(renderText(trace));
  if (html !== undefined) {
    writeFileSync(html, renderHtml(trace));
    console.log(`\nWrote ${html}`);
  }
  return 0;
}

if (require.main === module) process.exitCode = runTraceCli(process.argv.slice(2));
