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
import { readdirSync } from "node:fs";
import { percentile } from "@order-processing/local-runtime/testing";
import type { OrderResponse } from "../../shared/contracts/http/orders";
import type { PlacedOrder } from "../../tests/support/apiClient";
import { startTestStack } from "../../tests/support/testStack";
import { benchOrder } from "./benchOrder";

const rate = Number(process.env.BENCH_RATE ?? "5");
const durationSeconds = Number(process.env.BENCH_DURATION_SECONDS ?? "20");
const SKUS = ["SKU-0001", "SKU-0002", "SKU-0003", "SKU-0004", "SKU-0005"];

/** What the design sends: OrderPlaced + 5 commands (reserve, authorize, capture, commit, email) + 4 replies + OrderConfirmed. */
const DESIGNED_SERVICE_BUS_MESSAGES_PER_CONFIRMED_ORDER = 11;

async function main(): Promise<void> {
  const stack = await startTestStack({ stepTimeoutSeconds: 60, logFormat: "json" });
  const { api, standIns } = stack;
  try {
    for (const sku of SKUS) await api.setStock(sku, 1_000_000);
    const cosmosBefore = standIns.cosmos?.requestCount() ?? 0;
    const messagesBefore = standIns.serviceBus?.acceptedMessages() ?? {};
    let statusPolls = 0;
    const orders: PlacedOrder[] = [];
    const posts: Array<Promise<void>> = [];
    const total = Math.round(rate * durationSeconds);
    const started = Date.now();
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / rate;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
      const customerId = `bench-${i % 50}`;
      const order = benchOrder([{ sku: SKUS[i % SKUS.length] as string, quantity: 1 }]);

      posts.push(
        api.postOrder(customerId, order).then((response) => {
          const orderId = (response.json as { orderId?: string } | undefined)?.orderId;
          if (response.status === 202 && orderId) orders.push({ orderId, customerId });
        }),
      );
    }
    await Promise.all(posts);

    const views = new Map<string, OrderResponse>();
    const deadline = Date.now() + 300_000;
    while (views.size < orders.length && Date.now() < deadline) {
      for (const order of orders) {
        if (views.has(order.orderId)) continue;
        statusPolls += 1;
        const view = (await api.readOrder(order)).json;
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
      readdirSync(stack.outbox).filter((f) => f.endsWith(".eml")).length < confirmed.length &&
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
      const instance = await api.sagaInstance(order.orderId, "?showHistory=true");
      const status = instance.json as { historyEvents?: unknown[] };
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
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
