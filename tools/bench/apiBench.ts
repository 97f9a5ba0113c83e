/**
 * `npm run bench:api`: accepted POST /api/orders per second and latency at 10, 50 and 100
 * connections against the local stack (compiled app in the local host, Cosmos server,
 * Service Bus emulator, Azurite), beside a bare node:http server that only parses and
 * validates the same body with the same zod schema (the ceiling). Also counts Cosmos
 * requests and Service Bus messages per accepted order.
 *
 * Two apps are measured, each on fresh stand-ins: "api" (the API's functions alone,
 * every saga and worker function disabled by its AzureWebJobs.<name>.Disabled setting) and "full" (the whole app: every accepted order also runs its
 * saga and the participants in the same host).
 *
 * Options (env): BENCH_DURATION_SECONDS (default 10), BENCH_CONNECTIONS (default
 * "10,50,100"), BENCH_APPS (default "api,full").
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import autocannon from "autocannon";
import { ServiceBusClient } from "@azure/service-bus";
import { CONNECTIONS, COSMOS_CONTAINERS, ORDER_EVENTS_TOPIC } from "../../shared/config/names";
import { CreateOrderRequestSchema } from "../../shared/contracts";
import {
  defaultConfigPath,
  loadEmulatorConfig,
  type EmulatorConfig,
} from "@order-processing/local-runtime/servicebus";
import { startTestStack, type TestStack } from "../../tests/support/testStack";
import { benchOrder } from "./benchOrder";

const TAP = "bench-tap";
const duration = Number(process.env.BENCH_DURATION_SECONDS ?? "10");
const connectionLevels = (process.env.BENCH_CONNECTIONS ?? "10,50,100").split(",").map(Number);
const apps = (process.env.BENCH_APPS ?? "api,full").split(",").map((app) => app.trim());

const body = JSON.stringify(
  benchOrder([
    { sku: "SKU-0001", quantity: 1 },
    { sku: "SKU-0002", quantity: 2 },
  ]),
);

interface Figures {
  readonly connections: number;
  readonly accepted: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

async function load(url: string, connections: number): Promise<Figures> {
  let customer = 0;
  const result = await autocannon({
    url,
    connections,
    duration,
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    // One customer per request spreads the writes over partitions, as real traffic does.
    requests: [
      {
        setupRequest: (request) => ({
          ...request,
          headers: { ...request.headers, "x-customer-id": `bench-${connections}-${customer++}` },
        }),
      },
    ],
  });
  const accepted = result["2xx"];
  return {
    connections,
    accepted,
    perSecond: accepted / duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    // Non-2xx answers plus connection errors (autocannon counts timeouts among them).
    errors: result.non2xx + result.errors,
  };
}

/** The ceiling: parse + validate with the same schema, answer 202. */
async function startBareServer(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      let status = 202;
      try {
        const parsed = CreateOrderRequestSchema.safeParse(
          JSON.parse(Buffer.concat(chunks).toString("utf8")),
        );
        if (!parsed.success) status = 400;
      } catch {
        status = 400;
      }
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: status === 202 ? "Pending" : "invalid" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

function withTap(config: EmulatorConfig): EmulatorConfig {
  const copy = structuredClone(config) as {
    UserConfig: {
      Namespaces: Array<{ Topics: Array<{ Name: string; Subscriptions: unknown[] }> }>;
    };
  };
  for (const namespace of copy.UserConfig.Namespaces) {
    for (const topic of namespace.Topics) {
      if (topic.Name === ORDER_EVENTS_TOPIC) {
        topic.Subscriptions.push({
          Name: TAP,
          Properties: {
            LockDuration: "PT1M",
            MaxDeliveryCount: 5,
            DefaultMessageTimeToLive: "PT1H",
          },
          Rules: [],
        });
      }
    }
  }
  return copy as unknown as EmulatorConfig;
}

async function drainCount(
  connectionString: string,
): Promise<{ count: number; types: Record<string, number> }> {
  const client = new ServiceBusClient(connectionString);
  const receiver = client.createReceiver(ORDER_EVENTS_TOPIC, TAP, {
    receiveMode: "receiveAndDelete",
  });
  let count = 0;
  const types: Record<string, number> = {};
  for (;;) {
    const batch = await receiver.receiveMessages(500, { maxWaitTimeInMs: 2000 });
    if (batch.length === 0) break;
    count += batch.length;
    for (const message of batch) {
      const type = String(message.subject ?? "unknown");
      types[type] = (types[type] ?? 0) + 1;
    }
  }
  await receiver.close();
  await client.close();
  return { count, types };
}

async function storedOrders(stack: TestStack): Promise<number> {
  const { resources } = await stack
    .database()
    .container(COSMOS_CONTAINERS.orders.id)
    .items.query<number>("SELECT VALUE COUNT(1) FROM c WHERE c.kind = 'order'")
    .fetchAll();
  return resources.reduce((sum, n) => sum + n, 0);
}

const fmt = (f: Figures) =>
  `${String(f.connections).padStart(5)} | ${f.perSecond.toFixed(0).padStart(8)} | ${String(f.p50).padStart(7)} | ${String(f.p99).padStart(7)} | ${String(f.errors).padStart(6)}`;

async function main(): Promise<void> {
  for (const app of apps) {
    if (app !== "api" && app !== "full") throw new Error(`BENCH_APPS: unknown app ${app}`);
    await runApp(app);
  }
}

async function runApp(app: "api" | "full"): Promise<void> {
  const stack = await startTestStack({
    apiOnly: app === "api",
    standIns: { serviceBusConfig: withTap(loadEmulatorConfig(defaultConfigPath())) },
    logFormat: "json",
    ...(process.env.BENCH_HOST_NODE_OPTIONS === undefined
      ? {}
      : { settings: { NODE_OPTIONS: process.env.BENCH_HOST_NODE_OPTIONS } }),
  });
  const serviceBus = stack.settings[CONNECTIONS.serviceBus] as string;
  const cosmos = stack.standIns.cosmos!;
  let bare: http.Server | undefined;
  try {
    bare = await startBareServer();
    // The stack has started once the app created its containers and seeded the catalog.
    await drainCount(serviceBus);

    const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/api/orders`;
    const apiUrl = `${stack.baseUrl}/api/orders`;
    const rows: Array<{ api: Figures; bare: Figures }> = [];
    let accepted = 0;
    const cosmosBefore = cosmos.requestCount();
    for (const connections of connectionLevels) {
      const api = await load(apiUrl, connections);
      accepted += api.accepted;
      const ceiling = await load(bareUrl, connections);
      rows.push({ api, bare: ceiling });
    }
    // Requests cut off when a level's time ran out still complete on the server; count what
    // was stored and sent after the host has quiesced, not what the load generator saw.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const cosmosRequests = cosmos.requestCount() - cosmosBefore;
    const messages = await drainCount(serviceBus);
    const stored = await storedOrders(stack);

    console.log(
      `\n[${app === "api" ? "API functions only" : "full app: API + saga + workers"}] POST /api/orders, ${duration} s per level, 2 lines per order, one customer per request\n`,
    );
    console.log("target   conns | accepted/s | p50 ms | p99 ms | failed (non-2xx, timeouts)");
    for (const { api, bare: ceiling } of rows) {
      console.log(`api     ${fmt(api)}`);
      console.log(`bare    ${fmt(ceiling)}`);
      console.log(
        `ratio   ${String(api.connections).padStart(5)} | ${(api.perSecond / ceiling.perSecond).toFixed(3).padStart(8)}`,
      );
    }
    console.log(`\n202 answers seen by the load generator: ${accepted}; orders stored: ${stored}`);
    console.log(
      `Cosmos requests per stored order (all requests during the runs, incl. the relay's scans): ${(cosmosRequests / Math.max(1, stored)).toFixed(2)}`,
    );
    console.log(
      `Service Bus messages per stored order (order-events): ${(messages.count / Math.max(1, stored)).toFixed(2)} ${JSON.stringify(messages.types)}`,
    );
  } finally {
    bare?.close();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
