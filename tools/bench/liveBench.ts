/**
 * `npm run bench:live`: how long a customer waits between the 202 of POST /api/orders and the
 * `orderStatusChanged` push saying Confirmed, through the whole local stack (API, saga and
 * participants in the local host; Cosmos server, Service Bus emulator, Azurite, the SignalR
 * Service stand-in). Each customer has one `@microsoft/signalr` connection made through
 * POST /api/negotiate; both times are taken on this process's clock.
 *
 * Options (env): BENCH_ORDERS (default 100), BENCH_RATE (orders/s, default 5),
 * BENCH_CUSTOMERS (default 10).
 */
import { performance } from "node:perf_hooks";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { benchOrder } from "./benchOrder";
import { SKUS } from "./sagaLoad";
import { HubConnectionBuilder, LogLevel, type HubConnection } from "@microsoft/signalr";
import {
  percentile,
  startHostProcess,
  startStandIns,
} from "@order-processing/local-runtime/testing";

const orderCount = Number(process.env.BENCH_ORDERS ?? "100");
const rate = Number(process.env.BENCH_RATE ?? "5");
const customerCount = Number(process.env.BENCH_CUSTOMERS ?? "10");

interface Change {
  orderId: string;
  status: string;
}

async function main(): Promise<void> {
  const standIns = await startStandIns();
  const outbox = mkdtempSync(path.join(tmpdir(), "bench-live-outbox-"));
  const host = await startHostProcess({
    env: {
      ...standIns.settings,
      EMAIL_OUTBOX_DIR: outbox,
      SAGA_INVENTORY_TIMEOUT_SECONDS: "60",
      SAGA_PAYMENT_TIMEOUT_SECONDS: "60",
      LOG_FORMAT: "json",
    },
    readyTimeoutMs: 60_000,
  });
  const api = (route: string, init: RequestInit = {}) => fetch(`${host.baseUrl}/api${route}`, init);
  const connections: HubConnection[] = [];
  try {
    for (const sku of SKUS) {
      await api(`/inventory/${sku}`, {
        method: "PUT",
        headers: {
          "X-Customer-Id": "bench",
          "X-Roles": "admin",
          "Content-Type": "application/json",
        },
        body: JSON.stringify({ stock: 1_000_000 }),
      });
    }
    const accepted = new Map<string, number>();
    const orderCustomers = new Map<string, string>();
    const confirmedAt = new Map<string, number>();
    const early = new Map<string, number>();
    let pushes = 0;
    let allConfirmed: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allConfirmed = resolve));
    for (let c = 0; c < customerCount; c++) {
      const connection = new HubConnectionBuilder()
        .withUrl(`${host.baseUrl}/api`, { headers: { "X-Customer-Id": `live-bench-${c}` } })
        .configureLogging(LogLevel.None)
        .build();
      connection.on("orderStatusChanged", (change: Change) => {
        pushes++;
        if (change.status !== "Confirmed" || confirmedAt.has(change.orderId)) return;
        const now = performance.now();
        // A push can beat the 202 to this process; it is matched when the 202 arrives.
        if (!accepted.has(change.orderId)) early.set(change.orderId, now);
        confirmedAt.set(change.orderId, now);
        if (confirmedAt.size === orderCount) allConfirmed();
      });
      await connection.start();
      connections.push(connection);
    }

    const started = performance.now();
    const posts: Array<Promise<void>> = [];
    for (let i = 0; i < orderCount; i++) {
      const due = started + (i * 1000) / rate;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      posts.push(
        api("/orders", {
          method: "POST",
          headers: {
            "X-Customer-Id": `live-bench-${i % customerCount}`,
            "Content-Type": "application/json",
          },
          body: JSON.stringify(benchOrder([{ sku: SKUS[i % SKUS.length] as string, quantity: 1 }])),
        }).then(async (response) => {
          const at = performance.now();
          const body = (await response.json()) as { orderId?: string };
          if (response.status !== 202 || !body.orderId)
            throw new Error(`POST /orders answered ${response.status}`);
          accepted.set(body.orderId, at);
          orderCustomers.set(body.orderId, `live-bench-${i % customerCount}`);
        }),
      );
    }
    await Promise.all(posts);
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 300_000))]);

    const latencies = [...accepted]
      .flatMap(([orderId, at]) => {
        const pushed = confirmedAt.get(orderId);
        return pushed === undefined ? [] : [Math.max(0, pushed - at)];
      })
      .sort((a, b) => a - b);
    // The same span as the saga stores it (createdAt → the Confirmed timeline entry), so the
    // push's own share shows: the push leaves after that entry is written.
    const stored: number[] = [];
    for (const [orderId] of accepted) {
      const customer = orderCustomers.get(orderId)!;
      const view = (await (
        await api(`/orders/${orderId}`, { headers: { "X-Customer-Id": customer } })
      ).json()) as { createdAt: string; timeline: Array<{ status: string; at: string }> };
      const confirmed = view.timeline.find((t) => t.status === "Confirmed");
      if (confirmed) stored.push(Date.parse(confirmed.at) - Date.parse(view.createdAt));
    }
    stored.sort((a, b) => a - b);
    const round = (n: number | undefined) => (n === undefined ? null : Math.round(n));
    console.log(
      JSON.stringify(
        {
          orders: orderCount,
          arrivalRatePerSecond: rate,
          customers: customerCount,
          accepted: accepted.size,
          confirmedPushesReceived: latencies.length,
          pushBeforeThe202: early.size,
          acceptedToConfirmedPushMs: {
            p50: round(percentile(latencies, 50)),
            p99: round(percentile(latencies, 99)),
            max: round(latencies.at(-1)),
          },
          storedAcceptedToConfirmedMs: {
            p50: round(percentile(stored, 50)),
            p99: round(percentile(stored, 99)),
          },
          pushesPerOrder: Number((pushes / Math.max(1, accepted.size)).toFixed(2)),
        },
        null,
        2,
      ),
    );
  } finally {
    await Promise.all(connections.map((c) => c.stop()));
    await host.stop();
    await standIns.stop();
    rmSync(outbox, { recursive: true, force: true });
  }
}

// Exit once the figures are out: a SignalR client's reconnect timer or a kept-alive socket of
// the stopped stand-ins must not keep the command running after it has answered.
main().then(
  () => process.exit(),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
