/**
 * The figures of a chaos run, from what the client saw (arrivals, 202s, POST attempts), what
 * the orders say (status, failure reason, timeline), the checks, and what the stand-ins
 * counted. Pure: the HTML page and the JSON file are both drawn from this.
 */
import type { FaultEvent, FaultSnapshot } from "@order-processing/local-runtime/faults";
import { percentile } from "@order-processing/local-runtime/testing";
import type { InvariantReport } from "../../shared/invariants/checkInvariants";
import type { DeadLetterCount } from "./chaosChecks";
import { TOKEN_EXPECTATIONS, type ChaosPlan } from "./chaosPlan";
import type { PlacedOrder } from "./orderLoad";
import { SETTLED, type OrderView } from "./settleOrders";

export interface WrongOrder {
  readonly index: number;
  readonly orderId?: string;
  readonly token: string;
  readonly expected: string;
  readonly got: string;
}

export interface LatencyWindow {
  /** Seconds after the first arrival, by acceptance time. */
  readonly fromS: number;
  readonly toS: number;
  readonly confirmed: number;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
}

export interface ChaosReport {
  readonly plan: ChaosPlan;
  readonly ok: boolean;
  readonly problems: readonly string[];
  readonly startedAt: string;
  readonly arrivalsMs: number;
  readonly settleMs: number;
  readonly orders: {
    readonly placed: number;
    readonly accepted: number;
    readonly settled: number;
    readonly confirmed: number;
  };
  readonly figures: {
    readonly acceptedPerSecond: number;
    /** Confirmed orders over the time from the first arrival to the last confirmation. */
    readonly confirmedPerSecond: number;
    readonly timeToConfirmedMs: { p50: number | null; p99: number | null; max: number | null };
    /** POSTs beyond the first, sent because the API could not answer. */
    readonly postRetries: number;
  };
  /** token → "status/failureReason" → orders. */
  readonly outcomes: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly wrong: readonly WrongOrder[];
  readonly invariants: InvariantReport;
  readonly deadLetters: readonly DeadLetterCount[];
  readonly standIns: FaultSnapshot["counts"];
  readonly faultEvents: readonly (FaultEvent & { readonly atS: number })[];
  readonly series: {
    /** Per second after the first arrival: orders accepted (202) and settled then. */
    readonly perSecond: ReadonlyArray<{ t: number; accepted: number; settled: number }>;
    readonly windows: readonly LatencyWindow[];
  };
}

export const WINDOW_S = 10;

export function outcomeOf(view: OrderView | undefined): string {
  if (!view) return "unknown";
  if (!SETTLED.has(view.status)) return `not settled (${view.status})`;
  return view.failureReason ? `${view.status}/${view.failureReason}` : view.status;
}

function confirmedAt(view: OrderView): number | undefined {
  const entry = view.timeline.find((t) => t.status === "Confirmed");
  return entry ? Date.parse(entry.at) : undefined;
}

function settledAt(view: OrderView): number | undefined {
  if (!SETTLED.has(view.status)) return undefined;
  const entry = [...view.timeline].reverse().find((t) => t.status === view.status);
  return entry ? Date.parse(entry.at) : undefined;
}

const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

export function buildReport(input: {
  readonly plan: ChaosPlan;
  readonly startedAt: number;
  readonly arrivalsEndedAt: number;
  readonly settledAt: number;
  readonly orders: readonly PlacedOrder[];
  readonly views: ReadonlyMap<string, OrderView>;
  readonly invariants: InvariantReport;
  readonly deadLetters: readonly DeadLetterCount[];
  readonly faults: FaultSnapshot;
}): ChaosReport {
  const { plan, orders, views, startedAt } = input;
  const outcomes: Record<string, Record<string, number>> = {};
  const wrong: WrongOrder[] = [];
  const latencies: Array<{ acceptedAt: number; ms: number }> = [];
  for (const order of orders) {
    const view = order.orderId ? views.get(order.orderId) : undefined;
    const got = order.orderId ? outcomeOf(view) : `not accepted: ${order.refused ?? "?"}`;
    const byToken = (outcomes[order.token] ??= {});
    byToken[got] = (byToken[got] ?? 0) + 1;
    const expected = TOKEN_EXPECTATIONS[order.token] ?? "?";
    if (got !== expected) {
      wrong.push({
        index: order.index,
        ...(order.orderId ? { orderId: order.orderId } : {}),
        token: order.token,
        expected,
        got,
      });
    }
    const confirmed = view ? confirmedAt(view) : undefined;
    if (view && confirmed !== undefined)
      latencies.push({
        acceptedAt: Date.parse(view.createdAt),
        ms: confirmed - Date.parse(view.createdAt),
      });
  }

  const sorted = latencies.map((l) => l.ms).sort((a, b) => a - b);
  const at = (p: number): number | null => (sorted.length ? percentile(sorted, p) : null);
  const lastConfirmed = Math.max(...latencies.map((l) => l.acceptedAt + l.ms), startedAt);
  const accepted = orders.filter((o) => o.acceptedAt !== undefined);
  const settledViews = [...views.values()].filter((v) => SETTLED.has(v.status));

  const seconds = Math.max(
    1,
    Math.ceil((Math.max(input.settledAt, lastConfirmed) - startedAt) / 1000),
  );
  const perSecond = Array.from({ length: seconds }, (_, t) => ({ t, accepted: 0, settled: 0 }));
  const bucket = (epoch: number | undefined) =>
    epoch === undefined ? undefined : perSecond[Math.floor((epoch - startedAt) / 1000)];
  for (const o of accepted) {
    const b = bucket(o.acceptedAt);
    if (b) b.accepted += 1;
  }
  for (const v of settledViews) {
    const b = bucket(settledAt(v));
    if (b) b.settled += 1;
  }

  const windows: LatencyWindow[] = [];
  for (let fromS = 0; fromS < seconds; fromS += WINDOW_S) {
    const inWindow = latencies
      .filter(
        (l) =>
          l.acceptedAt >= startedAt + fromS * 1000 &&
          l.acceptedAt < startedAt + (fromS + WINDOW_S) * 1000,
      )
      .map((l) => l.ms)
      .sort((a, b) => a - b);
    if (inWindow.length === 0) continue;
    windows.push({
      fromS,
      toS: fromS + WINDOW_S,
      confirmed: inWindow.length,
      p50Ms: percentile(inWindow, 50),
      p99Ms: percentile(inWindow, 99),
    });
  }

  const problems: string[] = [];
  if (wrong.length > 0)
    problems.push(`${wrong.length} of ${orders.length} orders did not end as their token says`);
  if (input.invariants.violations.length > 0)
    problems.push(`${input.invariants.violations.length} invariant violations`);
  const deadLettered = input.deadLetters.reduce((n, d) => n + d.count, 0);
  if (deadLettered > 0) problems.push(`${deadLettered} messages dead-lettered`);

  const arrivalsMs = input.arrivalsEndedAt - startedAt;
  return {
    plan,
    ok: problems.length === 0,
    problems,
    startedAt: new Date(startedAt).toISOString(),
    arrivalsMs,
    settleMs: input.settledAt - input.arrivalsEndedAt,
    orders: {
      placed: orders.length,
      accepted: accepted.length,
      settled: settledViews.length,
      confirmed: latencies.length,
    },
    figures: {
      acceptedPerSecond: round(accepted.length / Math.max(1, arrivalsMs / 1000)),
      confirmedPerSecond: round(latencies.length / Math.max(1, (lastConfirmed - startedAt) / 1000)),
      timeToConfirmedMs: { p50: at(50), p99: at(99), max: sorted.at(-1) ?? null },
      postRetries: orders.reduce((n, o) => n + Math.max(0, o.attempts - 1), 0),
    },
    outcomes,
    wrong,
    invariants: input.invariants,
    deadLetters: input.deadLetters,
    standIns: input.faults.counts,
    faultEvents: input.faults.events
      .filter((e) => e.at >= startedAt - 60_000)
      .map((e) => ({ ...e, atS: round((e.at - startedAt) / 1000, 1) })),
    series: { perSecond, windows },
  };
}
