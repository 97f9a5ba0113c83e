import type { FaultSnapshot } from "@order-processing/local-runtime/faults";
import { DEFAULT_PLAN } from "./chaosPlan";
import { buildReport } from "./chaosReport";
import type { PlacedOrder } from "./orderLoad";
import type { OrderView } from "./settleOrders";
import { reportHtml } from "./reportHtml";

const T0 = Date.parse("2026-01-01T00:00:00.000Z");
const iso = (ms: number) => new Date(T0 + ms).toISOString();

function order(index: number, token: string, acceptedMs: number): PlacedOrder {
  return {
    index,
    token,
    customerId: "c",
    arrivedAt: T0 + acceptedMs,
    acceptedAt: T0 + acceptedMs,
    orderId: `o${index}`,
    attempts: index === 0 ? 3 : 1,
  };
}

function view(
  orderId: string,
  createdMs: number,
  status: string,
  endMs: number,
  reason: string | null = null,
): OrderView {
  return {
    orderId,
    status,
    failureReason: reason,
    createdAt: iso(createdMs),
    timeline: [
      { status: "Pending", at: iso(createdMs) },
      { status, at: iso(endMs) },
    ],
  };
}

const faults: FaultSnapshot = {
  active: {
    cosmos: {},
    servicebus: { busy: false, dropsScheduled: false },
    storage: {},
    host: { available: true, killsScheduled: false },
  },
  counts: {
    cosmos: { documentRequests: 100, throttled: 10, unavailable: 0, delayed: 0 },
    servicebus: { connectionsOpened: 4, connectionsDropped: 0, sendsRefusedBusy: 0 },
    storage: { connectionsDropped: 0, connectionsResetOnArrival: 0 },
    host: { kills: 1, killsSkipped: 0, restarts: 1 },
  },
  events: [
    { at: T0 + 5_000, target: "host", fault: "kill", phase: "once", detail: "SIGKILL" },
    { at: T0, target: "cosmos", fault: "throttle", phase: "start", detail: "429 on 10%" },
  ],
};

function report(views: OrderView[]) {
  const orders = [
    order(0, "tok_visa", 0),
    order(1, "tok_decline", 1_000),
    order(2, "tok_flaky", 12_000),
  ];
  return buildReport({
    plan: { ...DEFAULT_PLAN, name: "unit" },
    startedAt: T0,
    arrivalsEndedAt: T0 + 15_000,
    settledAt: T0 + 30_000,
    orders,
    views: new Map(views.map((v) => [v.orderId, v])),
    invariants: { ordersChecked: 3, productsChecked: 1, violations: [] },
    deadLetters: [{ entity: "inventory", count: 0, reasons: {} }],
    faults,
  });
}

describe("chaos report", () => {
  it("passes when every order ends as its token says, with figures over time", () => {
    const r = report([
      view("o0", 0, "Confirmed", 2_000),
      view("o1", 1_000, "Failed", 3_000, "PaymentDeclined"),
      view("o2", 12_000, "Confirmed", 16_000),
    ]);
    expect(r.ok).toBe(true);
    expect(r.outcomes).toEqual({
      tok_visa: { Confirmed: 1 },
      tok_decline: { "Failed/PaymentDeclined": 1 },
      tok_flaky: { Confirmed: 1 },
    });
    expect(r.figures.timeToConfirmedMs).toEqual({ p50: 2_000, p99: 4_000, max: 4_000 });
    expect(r.figures.postRetries).toBe(2);
    expect(r.series.windows.map((w) => [w.fromS, w.confirmed, w.p50Ms])).toEqual([
      [0, 1, 2_000],
      [10, 1, 4_000],
    ]);
    expect(r.series.perSecond[1]).toEqual({ t: 1, accepted: 1, settled: 0 });
    expect(r.series.perSecond[3]).toEqual({ t: 3, accepted: 0, settled: 1 });
  });

  it("fails naming each order that did not end as its token says", () => {
    const r = report([
      view("o0", 0, "Failed", 20_000, "InventoryTimeout"),
      view("o1", 1_000, "Failed", 3_000, "PaymentDeclined"),
      { ...view("o2", 12_000, "PaymentAuthorized", 14_000) },
    ]);
    expect(r.ok).toBe(false);
    expect(r.wrong).toEqual([
      {
        index: 0,
        orderId: "o0",
        token: "tok_visa",
        expected: "Confirmed",
        got: "Failed/InventoryTimeout",
      },
      {
        index: 2,
        orderId: "o2",
        token: "tok_flaky",
        expected: "Confirmed",
        got: "not settled (PaymentAuthorized)",
      },
    ]);
    expect(r.problems).toEqual(["2 of 3 orders did not end as their token says"]);
  });

  it("writes one self-contained page: inline SVG charts with the faults marked, nothing fetched", () => {
    const html = reportHtml(
      report([
        view("o0", 0, "Confirmed", 2_000),
        view("o1", 1_000, "Failed", 3_000, "PaymentDeclined"),
        view("o2", 12_000, "Confirmed", 16_000),
      ]),
    );
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain("<title>5s host kill: SIGKILL</title>");
    expect(html).toContain("<title>cosmos throttle: 429 on 10%</title>");
    expect(html).not.toMatch(/<script|<link|<img|src=|href=/i);
  });
});
