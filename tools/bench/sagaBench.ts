/**
 * `npm run bench:saga`: orders at a steady arrival rate through the whole local stack (API,
 * saga, participants in N Functions host processes; Cosmos server, Service Bus emulator and
 * Azurite in a process of their own), then:
 * - orders confirmed per second and p50/p99 from acceptance (the 202, the order's createdAt)
 *   to Confirmed (its timeline entry);
 * - CPU milliseconds per confirmed order for each process of the stack (from /proc);
 * - what one order asked of each service: Cosmos requests by kind and container, Service Bus
 *   operations, Durable storage operations, function executions, episodes and activities;
 * - what one order would cost in Azure (orderCost.ts: RU model and the dated price list in
 *   azurePrices.json).
 *
 * Options (env or flags): BENCH_RATE / --rate (orders/s, default 5), BENCH_DURATION_SECONDS /
 * --duration (default 20), BENCH_INSTANCES / --instances (host processes, default 1).
 */
import { percentile } from "@order-processing/local-runtime/testing";
import { orderCost } from "./orderCost";
import { cpuOf } from "./processCpu";
import {
  confirmationLatencies,
  hostStats,
  placeOrdersSteadily,
  readOrders,
  seedStock,
  startLoadStack,
  sumHostStats,
  waitForEmails,
  waitUntilSettled,
} from "./sagaLoad";

function option(flag: string, envName: string, fallback: string): number {
  const at = process.argv.indexOf(flag);
  const raw = at >= 0 ? process.argv[at + 1] : process.env[envName];
  const value = Number(raw ?? fallback);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${flag} / ${envName} must be a positive number, got "${String(raw)}".`);
  }
  return value;
}

function minus(
  after: Record<string, number>,
  before: Record<string, number>,
): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]));
}

async function main(): Promise<void> {
  const rate = option("--rate", "BENCH_RATE", "5");
  const seconds = option("--duration", "BENCH_DURATION_SECONDS", "20");
  const instances = option("--instances", "BENCH_INSTANCES", "1");
  const stack = await startLoadStack({ instances });
  const { baseUrl } = stack.cluster;
  const hostUrls = () => stack.cluster.hosts.map((h) => h.baseUrl);
  try {
    await seedStock(baseUrl);
    const statsBefore = await stack.standIns.stats();
    const hostsBefore = await hostStats(hostUrls());
    const cpuBefore = cpuOf(stack.pids());
    const started = Date.now();
    const orders = await placeOrdersSteadily(baseUrl, rate, seconds);
    // The emails first: counting files costs the stack nothing, while the settle check lists
    // every instance through the Durable API and, polled during the load, took a share of
    // the host and storage that the bench then counted as the orders' cost.
    await waitForEmails(stack.outbox, orders.length, 600_000);
    await waitUntilSettled(baseUrl, orders, 600_000, stack.systemKey);
    const elapsedSeconds = (Date.now() - started) / 1000;
    const cpu = minus(cpuOf(stack.pids()), cpuBefore);
    const statsAfter = await stack.standIns.stats();
    const hosts = sumHostStats(await hostStats(hostUrls()), hostsBefore);
    const views = await readOrders(baseUrl, orders);

    const confirmed = views.filter((v) => v.status === "Confirmed");
    const latencies = confirmationLatencies(views);
    const firstAccepted = Math.min(...confirmed.map((v) => Date.parse(v.createdAt)));
    const lastConfirmed = Math.max(
      ...confirmed.map((v) =>
        Date.parse(v.timeline.find((t) => t.status === "Confirmed")?.at ?? ""),
      ),
    );
    const perOrder = (n: number): number => Number((n / Math.max(1, confirmed.length)).toFixed(2));
    const cosmos = Object.fromEntries(
      Object.entries(statsAfter.cosmos).map(([k, v]) => {
        const b = statsBefore.cosmos[k] ?? { requests: 0, documents: 0, documentBytes: 0 };
        return [
          k,
          {
            requests: v.requests - b.requests,
            documents: v.documents - b.documents,
            documentBytes: v.documentBytes - b.documentBytes,
          },
        ];
      }),
    );
    const sbOps = minus(
      statsAfter.serviceBus.operations as unknown as Record<string, number>,
      statsBefore.serviceBus.operations as unknown as Record<string, number>,
    );
    const sbMessages = minus(statsAfter.serviceBus.accepted, statsBefore.serviceBus.accepted);
    const cost = orderCost({
      orders: confirmed.length,
      cosmos,
      serviceBusOperations: Object.values(sbOps).reduce((a, b) => a + b, 0),
      episodes: hosts.episodes,
      activities: hosts.activities,
      executions: hosts.executions,
      instanceSeconds: instances * elapsedSeconds,
    });

    console.log(
      JSON.stringify(
        {
          instances,
          arrivalRatePerSecond: rate,
          durationSeconds: seconds,
          accepted: orders.length,
          confirmed: confirmed.length,
          ordersConfirmedPerSecond: Number(
            (confirmed.length / ((lastConfirmed - firstAccepted) / 1000)).toFixed(2),
          ),
          acceptedToConfirmedMs: {
            p50: percentile(latencies, 50),
            p99: percentile(latencies, 99),
            max: latencies.at(-1),
          },
          cpuMsPerOrder: {
            ...Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, perOrder(v)])),
            total: perOrder(Object.values(cpu).reduce((a, b) => a + b, 0)),
          },
          perOrder: {
            cosmosRequests: cost.cosmosRequestsPerOrder,
            serviceBusMessages: perOrder(Object.values(sbMessages).reduce((a, b) => a + b, 0)),
            serviceBusOperations: cost.serviceBusOperationsPerOrder,
            durableStorageOperations: perOrder(hosts.storageOperations),
            functionExecutions: cost.executionsPerOrder,
            episodes: perOrder(hosts.episodes),
            activities: perOrder(hosts.activities),
          },
          azure: {
            cosmosByOperation: cost.cosmos,
            ruPerOrder: cost.ruPerOrder,
            durableStorageEstimatePerOrder: cost.storagePerOrder,
            gbSecondsPerOrder: cost.gbSecondsPerOrder,
            usdPer1000Orders: cost.usdPer1000Orders,
          },
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
