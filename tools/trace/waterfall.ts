import { flatten, type OrderTrace } from "./orderTrace";
import type { SpanRecord } from "./spanFile";

/** What a row says besides its name: the step, the outcome, the status, the error. */
export function detailOf(span: SpanRecord): string {
  const a = span.attributes;
  const parts: string[] = [];
  const step = a["saga.step"];
  if (step !== undefined && !span.name.includes(String(step))) parts.push(String(step));
  if (a["saga.outcome"] !== undefined) parts.push(String(a["saga.outcome"]));
  if (a["http.response.status_code"] !== undefined)
    parts.push(String(a["http.response.status_code"]));
  if (a["durable.episode.events"]) parts.push(String(a["durable.episode.events"]));
  if (span.status === "error") {
    const reason = a["messaging.servicebus.dead_letter_reason"] ?? span.exceptions[0]?.type;
    const what = reason === undefined || reason === "" ? "ERROR" : `ERROR ${String(reason)}`;
    parts.push(span.statusMessage ? `${what}: ${span.statusMessage}` : what);
  }
  return parts.join(" · ");
}

const ms = (value: number): string =>
  value >= 1000 ? `${(value / 1000).toFixed(2)}s` : `${value.toFixed(value < 10 ? 1 : 0)}ms`;

/** The waterfall as terminal text: the tree on the left, each span's bar on the timeline right. */
export function renderText(trace: OrderTrace, width = 40): string {
  const rows = flatten(trace.roots);
  if (rows.length === 0) return `No spans for order ${trace.orderId}.\n`;
  const start = Math.min(...trace.spans.map((s) => s.startMs));
  const end = Math.max(...trace.spans.map((s) => s.endMs));
  const total = Math.max(end - start, 1);
  const labels = rows.map(({ node, depth }) => {
    const detail = detailOf(node.span);
    return `${"  ".repeat(depth)}${node.span.name}${detail ? ` [${detail}]` : ""}`;
  });
  const labelWidth = Math.min(Math.max(...labels.map((l) => l.length)), 90);
  const lines = [
    `Order ${trace.orderId}: ${trace.spans.length} spans in ${trace.traceIds.length} trace(s) (${trace.traceIds.join(", ")}), ${ms(total)}`,
    "",
  ];
  rows.forEach(({ node }, i) => {
    const span = node.span;
    const from = Math.floor(((span.startMs - start) / total) * width);
    const to = Math.max(from + 1, Math.round(((span.endMs - start) / total) * width));
    const bar = " ".repeat(from) + "█".repeat(Math.min(to, width) - from);
    const label = (labels[i] ?? "").slice(0, labelWidth).padEnd(labelWidth);
    const offset = `+${ms(span.startMs - start)}`.padStart(9);
    const duration = ms(span.endMs - span.startMs).padStart(8);
    lines.push(`${label} ${offset} ${duration} |${bar.padEnd(width)}|`);
  });
  return `${lines.join("\n")}\n`;
}

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const COLOURS: Record<string, string> = {
  server: "#4e79a7",
  consumer: "#59a14f",
  producer: "#f28e2b",
  client: "#b07aa1",
  internal: "#9c755f",
};

/** A self-contained HTML page (no script, no external asset): the same waterfall, to scale. */
export function renderHtml(trace: OrderTrace): string {
  const rows = flatten(trace.roots);
  const start = Math.min(...trace.spans.map((s) => s.startMs));
  const end = Math.max(...trace.spans.map((s) => s.endMs));
  const total = Math.max(end - start, 1);
  const body = rows
    .map(({ node, depth }) => {
      const s = node.span;
      const left = ((s.startMs - start) / total) * 100;
      const w = Math.max(((s.endMs - s.startMs) / total) * 100, 0.2);
      const colour = s.status === "error" ? "#e15759" : (COLOURS[s.kind] ?? "#999");
      const attrs = Object.entries(s.attributes)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join("\n");
      const title = escape(`${s.name}\n${s.kind} · ${ms(s.endMs - s.startMs)}\n${attrs}`);
      const detail = detailOf(s);
      return `<tr title="${title}"><td class="n" style="padding-left:${depth * 14 + 4}px">${escape(s.name)}${detail ? ` <small>${escape(detail)}</small>` : ""}</td><td class="d">${ms(s.endMs - s.startMs)}</td><td class="t"><div style="margin-left:${left.toFixed(3)}%;width:${w.toFixed(3)}%;background:${colour}"></div></td></tr>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Order ${escape(trace.orderId)}</title>
<style>
body{font:13px system-ui,sans-serif;margin:16px}table{border-collapse:collapse;width:100%}
td{padding:2px 4px;border-bottom:1px solid #eee;white-space:nowrap}td.n{max-width:46em;overflow:hidden;text-overflow:ellipsis}
td.d{text-align:right;color:#555}td.t{width:50%}td.t div{height:12px;border-radius:2px}small{color:#777}
</style></head><body>
<h1>Order ${escape(trace.orderId)}</h1>
<p>${trace.spans.length} spans, ${trace.traceIds.length} trace(s): ${trace.traceIds.map(escape).join(", ")}; ${ms(total)} from first to last. Hover a row for its attributes.</p>
<table>
${body}
</table></body></html>
`;
}
