/**
 * `npm run bench:saga`: orders at a steady arrival rate through the whole local stack (API,
 * saga, participants in the local host; Cosmos server, Service Bus emulator, Azurite), then
 * orders completed per second, p50/p99 from acceptance (the order's createdAt, the 202) to
 * Confirmed (its timeline entry), and Durable history events per order (from the management
 * API), and what each order cost the stand-ins: Cosmos requests (less the bench's own status
 * polls, one point read each) and Service Bus messages accepted per queue and topic.
 *
 * Options (env): BENCH_RATE (orders/s, default 5), BENCH_DURATION_SECONDS (default 20).
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startHostProcess, startStandIns } from "@order-processing/local-runtime/testing";
import { percentile } from "@order-processing/local-runtime/testing";

const rate = Number(process.env.BENCH_RATE ?? "5");
const durationSeconds = Number(process.env.BENCH_DURATION_SECONDS ?? "20");
const SKUS = ["SKU-0001", "SKU-0002", "SKU-0003", "SKU-0004", "SKU-0005"];

/** What the design sends: OrderPlaced + 5 commands (reserve, authorize, capture, commit, email) + 4 replies + OrderConfirmed. */
const DESIGNED_SERVICE_BUS_MESSAGES_PER_CONFIRMED_ORDER = 11;

interface OrderView {
  status: string;
  createdAt: string;
  timeline: Array<{ status: string; at: string }>;
}

async function main(): Promise<void> {
  const standIns = await startStandIns();
  const outbox = mkdtempSync(path.join(tmpdir(), "bench-saga-outbox-"));
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
    const cosmosBefore = standIns.cosmos?.requestCount() ?? 0;
    const messagesBefore = standIns.serviceBus?.acceptedMessages() ?? {};
    let statusPolls = 0;
    const orders: Array<{ orderId: string; customerId: string }> = [];
    const posts: Array<Promise<void>> = [];
    const total = Math.round(rate * durationSeconds);
    const started = Date.now();
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / rate;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
      const customerId = `bench-${i % 50}`;
      posts.push(
        api("/orders", {
          method: "POST",
          headers: { "X-Customer-Id": customerId, "Content-Type": "application/json" },
          body: JSON.stringify({
            email: "bench@example.com",
            currency: "USD",
            items: [{ sku: SKUS[i % SKUS.length], quantity: 1 }],
            payment: { method: "card", token: "tok_visa" },
            shippingAddress: {
              name: "Ada",
              line1: "1 Bench St",
              city: "London",
              postalCode: "N1",
              country: "GB",
            },
          }),
        }).then(async (response) => {
          const json = (await response.json()) as { orderId?: string };
          if (response.status === 202 && json.orderId)
            orders.push({ orderId: json.orderId, customerId });
        }),
      );
    }
    await Promise.all(posts);

    const views = new Map<string, OrderView>();
    const deadline = Date.now() + 300_000;
    while (views.size < orders.length && Date.now() < deadline) {
      for (const order of orders) {
        if (views.has(order.orderId)) continue;
        statusPolls += 1;
        const response = await api(`/orders/${order.orderId}`, {
          headers: { "X-Customer-Id": order.customerId },
        });
        const view = (await response.json()) as OrderView;
        if (["Confirmed", "Failed", "Cancelled"].includes(view.status))
          views.set(order.orderId, view);
      }
      if (views.size < orders.length) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const confirmed = [...views.values()].filter((v) => v.status === "Confirmed");
    const latencies = confirmed
      .map(
        (v) =>
          Date.parse(v.timeline.find((t) => t.status === "Confirmed")?.at ?? "") -
          Date.parse(v.createdAt),
      )
      .sort((a, b) => a - b);
    const firstAccepted = Math.min(...confirmed.map((v) => Date.parse(v.createdAt)));
    const lastConfirmed = Math.max(
      ...confirmed.map((v) => Date.parse(v.timeline.at(-1)?.at ?? "")),
    );

    // The confirmation email is the saga's last message; wait until each confirmed order's
    // is written, so the counts below hold whole flows.
    const emailDeadline = Date.now() + 60_000;
    while (
      readdirSync(outbox).filter((f) => f.endsWith(".eml")).length < confirmed.length &&
      Date.now() < emailDeadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const cosmosRequests = (standIns.cosmos?.requestCount() ?? 0) - cosmosBefore - statusPolls;
    const messagesAfter = standIns.serviceBus?.acceptedMessages() ?? {};
    const messagesByEntity = Object.fromEntries(
      Object.entries(messagesAfter).map(([entity, n]) => [
        entity,
        n - (messagesBefore[entity] ?? 0),
      ]),
    );
    const messages = Object.values(messagesByEntity).reduce((sum, n) => sum + n, 0);
    const perOrder = (n: number): number => Number((n / Math.max(1, orders.length)).toFixed(2));

    const sample = orders.slice(0, 10);
    let historyEvents = 0;
    for (const order of sample) {
      const response = await fetch(
        `${host.baseUrl}/runtime/webhooks/durabletask/instances/${order.orderId}?showHistory=true`,
      );
      const status = (await response.json()) as { historyEvents?: unknown[] };
      historyEvents += status.historyEvents?.length ?? 0;
    }

    console.log(
      JSON.stringify(
        {
          arrivalRatePerSecond: rate,
          durationSeconds,
          accepted: orders.length,
          settled: views.size,
          confirmed: confirmed.length,
          ordersCompletedPerSecond: Number(
            (confirmed.length / ((lastConfirmed - firstAccepted) / 1000)).toFixed(2),
          ),
          acceptedToConfirmedMs: {
            p50: percentile(latencies, 50),
            p99: percentile(latencies, 99),
            max: latencies.at(-1),
          },
          durableHistoryEventsPerOrder: sample.length
            ? Math.round(historyEvents / sample.length)
            : null,
          cosmosRequestsPerOrder: perOrder(cosmosRequests),
          serviceBusMessagesPerOrder: perOrder(messages),
          serviceBusMessagesPerOrderByEntity: Object.fromEntries(
            Object.entries(messagesByEntity).map(([entity, n]) => [entity, perOrder(n)]),
          ),
          designedServiceBusMessagesPerConfirmedOrder:
            DESIGNED_SERVICE_BUS_MESSAGES_PER_CONFIRMED_ORDER,
        },
        null,
        2,
      ),
    );
  } finally {
    await host.stop();
    await standIns.stop();
    rmSync(outbox, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
