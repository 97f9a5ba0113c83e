/**
 * The chaos report as one self-contained HTML page: inline CSS and inline SVG charts, no
 * script and nothing fetched, so it opens from disk anywhere and can be attached to an issue.
 */
import { formatFaultDuration } from "@order-processing/local-runtime/faults";
import { TOKEN_EXPECTATIONS } from "./chaosPlan";
import type { ChaosReport } from "./chaosReport";
import { escapeXml as esc, lineChart, type ChartMark } from "./svgChart";

const TARGET_COLORS: Record<string, string> = {
  host: "#d62728",
  servicebus: "#9467bd",
  cosmos: "#ff7f0e",
  storage: "#8c564b",
};
const RESTART_COLOR = "#2ca02c";

/** Fault events as chart marks: one-off actions as lines, lasting faults as bands. */
export function faultMarks(report: ChaosReport, xMax: number): ChartMark[] {
  const marks: ChartMark[] = [];
  const open = new Map<string, { from: number; label: string }>();
  for (const e of report.faultEvents) {
    const key = `${e.target} ${e.fault}`;
    const color = e.fault === "restart" ? RESTART_COLOR : (TARGET_COLORS[e.target] ?? "#555");
    if (e.phase === "once") {
      marks.push({
        label: `${e.atS}s ${key}${e.detail ? `: ${e.detail}` : ""}`,
        color,
        from: e.atS,
      });
    } else if (e.phase === "start") {
      open.set(key, { from: e.atS, label: `${key}${e.detail ? `: ${e.detail}` : ""}` });
    } else {
      const started = open.get(key);
      open.delete(key);
      if (started) marks.push({ label: started.label, color, from: started.from, to: e.atS });
    }
  }
  for (const [key, started] of open) {
    const target = key.split(" ")[0] ?? "";
    marks.push({
      label: started.label,
      color: TARGET_COLORS[target] ?? "#555",
      from: started.from,
      to: xMax,
    });
  }
  return marks;
}

function table(
  head: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
): string {
  const th = head.map((h) => `<th>${esc(h)}</th>`).join("");
  const tr = rows
    .map((r) => `<tr>${r.map((c) => `<td>${esc(String(c))}</td>`).join("")}</tr>`)
    .join("\n");
  return `<table><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table>`;
}

const ms = (v: number | null): string => (v === null ? "–" : `${Math.round(v)} ms`);

export function reportHtml(report: ChaosReport): string {
  const xMax = report.series.perSecond.length;
  const marks = faultMarks(report, xMax);
  const throughput = lineChart({
    title: "Orders accepted (202) and settled per second",
    xLabel: "seconds since the first arrival",
    yLabel: "orders / s",
    xMax,
    series: [
      {
        name: "accepted",
        color: "#1f77b4",
        points: report.series.perSecond.map((p) => [p.t, p.accepted]),
      },
      {
        name: "settled",
        color: "#17becf",
        points: report.series.perSecond.map((p) => [p.t, p.settled]),
      },
    ],
    marks,
  });
  const latency = lineChart({
    title: `Time from acceptance to Confirmed, p50 and p99 per ${report.series.windows[0] ? report.series.windows[0].toS - report.series.windows[0].fromS : 10} s window (by acceptance time)`,
    xLabel: "seconds since the first arrival",
    yLabel: "ms",
    xMax,
    series: [
      {
        name: "p50",
        color: "#1f77b4",
        points: report.series.windows.map((w) => [(w.fromS + w.toS) / 2, w.p50Ms]),
      },
      {
        name: "p99",
        color: "#d62728",
        points: report.series.windows.map((w) => [(w.fromS + w.toS) / 2, w.p99Ms]),
      },
    ],
    marks,
  });

  const outcomeNames = [
    ...new Set(Object.values(report.outcomes).flatMap((o) => Object.keys(o))),
  ].sort();
  const outcomeRows = Object.entries(report.outcomes).map(([token, counts]) => {
    const expected = TOKEN_EXPECTATIONS[token] ?? "?";
    const total = Object.values(counts).reduce((n, c) => n + c, 0);
    return [
      token,
      expected,
      total,
      ...outcomeNames.map((o) => counts[o] ?? 0),
      total - (counts[expected] ?? 0),
    ];
  });
  const c = report.standIns;
  const f = report.figures;
  const plan = report.plan;
  const faultsText = plan.faults.length
    ? plan.faults
        .map(
          (x) =>
            `${x.target} ${x.fault} at ${formatFaultDuration(x.atMs)}` +
            (x.everyMs ? ` every ${formatFaultDuration(x.everyMs)}` : "") +
            (x.for === "run"
              ? " for the whole run"
              : x.for
                ? ` for ${formatFaultDuration(x.for)}`
                : " until the arrivals end") +
            (Object.keys(x.options).length ? ` ${JSON.stringify(x.options)}` : ""),
        )
        .join("; ")
    : "none";

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Chaos report: ${esc(plan.name)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1000px;color:#222}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.verdict{display:inline-block;padding:3px 10px;border-radius:4px;color:#fff;font-weight:600}
.ok{background:#2ca02c}.bad{background:#d62728}
table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}
th{background:#f3f3f3}td:not(:first-child){font-variant-numeric:tabular-nums}
svg{display:block;margin:8px 0;background:#fff;border:1px solid #ddd}
svg .title{font-weight:600;font-size:13px}svg .tick{font-size:11px;fill:#444}svg .label{font-size:12px;fill:#222}
svg .grid{stroke:#eee}svg .axis{stroke:#888}
.legend span{display:inline-block;margin-right:14px}.sw{display:inline-block;width:12px;height:12px;vertical-align:-1px;margin-right:4px}
</style></head><body>
<h1>Chaos report: ${esc(plan.name)}</h1>
<p><span class="verdict ${report.ok ? "ok" : "bad"}">${report.ok ? "PASS" : "FAIL"}</span>
${report.problems.map((p) => esc(p)).join("; ")}</p>
<p>Started ${esc(report.startedAt)}. ${plan.rate} orders/s for ${formatFaultDuration(plan.durationMs)}; tokens ${esc(
    Object.entries(plan.tokens)
      .map(([t, w]) => `${t}×${w}`)
      .join(", "),
  )}. Faults: ${esc(faultsText)}. Settings over npm start's defaults: ${esc(
    Object.keys(plan.settings).length ? JSON.stringify(plan.settings) : "none",
  )}.</p>
<h2>Figures</h2>
${table(
  ["figure", "value"],
  [
    [
      "orders placed / accepted / settled / Confirmed",
      `${report.orders.placed} / ${report.orders.accepted} / ${report.orders.settled} / ${report.orders.confirmed}`,
    ],
    ["accepted per second (arrivals period)", f.acceptedPerSecond],
    ["Confirmed per second (first arrival to last confirmation)", f.confirmedPerSecond],
    [
      "time to Confirmed p50 / p99 / max",
      `${ms(f.timeToConfirmedMs.p50)} / ${ms(f.timeToConfirmedMs.p99)} / ${ms(f.timeToConfirmedMs.max)}`,
    ],
    [
      "arrivals / settling took",
      `${formatFaultDuration(report.arrivalsMs)} / ${formatFaultDuration(report.settleMs)}`,
    ],
  ],
)}
<div class="legend">Fault marks: ${Object.entries(TARGET_COLORS)
    .map(([t, color]) => `<span><i class="sw" style="background:${color}"></i>${t}</span>`)
    .join(
      "",
    )}<span><i class="sw" style="background:${RESTART_COLOR}"></i>host restart</span> (dashed line: one-off; band: lasting; hover for details)</div>
${throughput}
${latency}
<h2>Outcomes</h2>
${table(["token", "expected", "orders", ...outcomeNames, "wrong"], outcomeRows)}
<h2>Retries seen</h2>
${table(
  ["where", "what the stand-ins and the client counted", "count"],
  [
    ["Cosmos", "document requests", c.cosmos.documentRequests],
    ["Cosmos", "429 served (SDK retried after x-ms-retry-after-ms)", c.cosmos.throttled],
    ["Cosmos", "503 served", c.cosmos.unavailable],
    ["Cosmos", "requests delayed", c.cosmos.delayed],
    ["Service Bus", "connections dropped", c.servicebus.connectionsDropped],
    [
      "Service Bus",
      "connections opened (first ones and reconnects)",
      c.servicebus.connectionsOpened,
    ],
    ["Service Bus", "sends refused server-busy", c.servicebus.sendsRefusedBusy],
    [
      "Storage",
      "connections dropped / reset on arrival",
      `${c.storage.connectionsDropped} / ${c.storage.connectionsResetOnArrival}`,
    ],
    [
      "Functions host",
      "SIGKILLs / skipped (none running) / restarts",
      `${c.host.kills} / ${c.host.killsSkipped} / ${c.host.restarts}`,
    ],
    ["client", "POST /api/orders retried (same Idempotency-Key)", f.postRetries],
  ],
)}
<h2>Invariants</h2>
<p>${report.invariants.ordersChecked} orders and ${report.invariants.productsChecked} products checked: ${
    report.invariants.violations.length === 0
      ? "no violation."
      : `${report.invariants.violations.length} violations.`
  }</p>
${
  report.invariants.violations.length
    ? table(
        ["guarantee", "order", "sku", "message"],
        report.invariants.violations
          .slice(0, 200)
          .map((v) => [v.guarantee, v.orderId ?? "", v.sku ?? "", v.message]),
      )
    : ""
}
<h2>Dead-letter queues</h2>
${table(
  ["entity", "messages", "reasons"],
  report.deadLetters.map((d) => [
    d.entity,
    d.count,
    Object.entries(d.reasons)
      .map(([r, n]) => `${r}: ${n}`)
      .join(", "),
  ]),
)}
<h2>Orders that did not end as their token says (${report.wrong.length})</h2>
${
  report.wrong.length
    ? table(
        ["#", "order", "token", "expected", "got"],
        report.wrong
          .slice(0, 200)
          .map((w) => [w.index, w.orderId ?? "", w.token, w.expected, w.got]),
      )
    : "<p>None.</p>"
}
<h2>Fault events</h2>
${table(
  ["at (s)", "target", "fault", "phase", "detail"],
  report.faultEvents.map((e) => [e.atS, e.target, e.fault, e.phase, e.detail ?? ""]),
)}
</body></html>
`;
}
