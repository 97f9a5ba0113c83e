/**
 * The local stack under a steady load of orders, shared by `bench:saga` and `profile`: the
 * stand-ins in a process of their own, N Functions host processes behind one address, an
 * arrival schedule of orders, and the wait until each has settled.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  startHostCluster,
  startStandInsProcess,
  type HostCluster,
  type StandInsProcess,
} from "@order-processing/local-runtime/testing";
import { benchOrder } from "./benchOrder";

export const SKUS = ["SKU-0001", "SKU-0002", "SKU-0003", "SKU-0004", "SKU-0005"];

export interface LoadStack {
  readonly standIns: StandInsProcess;
  readonly cluster: HostCluster;
  readonly outbox: string;
  /** The hosts' system key, which the Durable management API asks. */
  readonly systemKey: string;
  /** The processes of the stack by name (`host1`…, `standIns`, `azurite`). */
  pids(): Record<string, number | undefined>;
  stop(): Promise<void>;
}

export async function startLoadStack(
  options: {
    instances?: number;
    /** Extra environment for the host processes. */
    hostEnv?: Record<string, string>;
    /** Options for node in every process of the stack (`--cpu-prof` for a profile). */
    nodeArgs?: readonly string[];
  } = {},
): Promise<LoadStack> {
  const nodeArgs = options.nodeArgs ?? [];
  const standIns = await startStandInsProcess({ nodeArgs });
  const outbox = mkdtempSync(path.join(tmpdir(), "bench-saga-outbox-"));
  // One key for every host: a call through the round-robin proxy may reach any of them.
  const systemKey = randomBytes(24).toString("base64url");
  let cluster: HostCluster;
  try {
    cluster = await startHostCluster({
      instances: options.instances ?? 1,
      env: {
        ...standIns.settings,
        EMAIL_OUTBOX_DIR: outbox,
        SAGA_INVENTORY_TIMEOUT_SECONDS: "120",
        SAGA_PAYMENT_TIMEOUT_SECONDS: "120",
        LOG_FORMAT: "json",
        LOCAL_HOST_SYSTEM_KEY: systemKey,
        ...options.hostEnv,
      },
      readyTimeoutMs: 120_000,
      nodeArgs,
    });
  } catch (error) {
    await standIns.stop();
    throw error;
  }
  return {
    standIns,
    cluster,
    outbox,
    systemKey,
    pids: () => ({
      ...Object.fromEntries(cluster.hosts.map((h, i) => [`host${i + 1}`, h.child.pid])),
      standIns: standIns.pids.standIns,
      azurite: standIns.pids.azurite,
    }),
    async stop() {
      await cluster.stop();
      await standIns.stop();
      rmSync(outbox, { recursive: true, force: true });
    },
  };
}

export async function seedStock(baseUrl: string): Promise<void> {
  for (const sku of SKUS) {
    const response = await fetch(`${baseUrl}/api/inventory/${sku}`, {
      method: "PUT",
      headers: { "X-Customer-Id": "bench", "X-Roles": "admin", "Content-Type": "application/json" },
      body: JSON.stringify({ stock: 10_000_000 }),
    });
    if (response.status !== 200) throw new Error(`PUT /api/inventory/${sku}: ${response.status}`);
  }
}

export interface PlacedOrder {
  readonly orderId: string;
  readonly customerId: string;
}

function orderBody(i: number): string {
  return JSON.stringify(benchOrder([{ sku: SKUS[i % SKUS.length] as string, quantity: 1 }]));
}

/** Places `rate` orders a second for `seconds`, each at its due time; resolves the accepted ones. */
export async function placeOrdersSteadily(
  baseUrl: string,
  rate: number,
  seconds: number,
): Promise<PlacedOrder[]> {
  const orders: PlacedOrder[] = [];
  const posts: Array<Promise<void>> = [];
  const total = Math.round(rate * seconds);
  const started = Date.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
    const customerId = `bench-${i % 50}`;
    posts.push(
      fetch(`${baseUrl}/api/orders`, {
        method: "POST",
        headers: { "X-Customer-Id": customerId, "Content-Type": "application/json" },
        body: orderBody(i),
      }).then(async (response) => {
        const json = (await response.json()) as { orderId?: string };
        if (response.status === 202 && json.orderId)
          orders.push({ orderId: json.orderId, customerId });
      }),
    );
  }
  await Promise.all(posts);
  return orders;
}

interface InstanceStatus {
  instanceId: string;
  runtimeStatus: string;
  customStatus?: { step?: string } | null;
}

/**
 * Waits until every order's saga is past confirmation (waiting for shipment) or finished,
 * reading the Durable management API's list (no Cosmos request, so the counts stay the app's).
 */
export async function waitUntilSettled(
  baseUrl: string,
  orders: readonly PlacedOrder[],
  timeoutMs: number,
  systemKey: string,
): Promise<void> {
  const wanted = new Set(orders.map((o) => o.orderId));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const settled = new Set<string>();
    let token: string | null = null;
    do {
      const response: Response = await fetch(
        `${baseUrl}/runtime/webhooks/durabletask/instances?top=1000&showInput=false`,
        {
          headers: {
            "x-functions-key": systemKey,
            ...(token ? { "x-ms-continuation-token": token } : {}),
          },
        },
      );
      if (!response.ok) throw new Error(`The Durable management API answered ${response.status}.`);
      for (const s of (await response.json()) as InstanceStatus[]) {
        const step = s.customStatus?.step;
        if (step === "AwaitingShipment" || step === "Done" || s.runtimeStatus !== "Running")
          settled.add(s.instanceId);
      }
      token = response.headers.get("x-ms-continuation-token");
    } while (token);
    if ([...wanted].every((id) => settled.has(id))) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Waits until `count` emails are in the outbox (the saga's last message of a confirmed order). */
export async function waitForEmails(
  outbox: string,
  count: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (
    readdirSync(outbox).filter((f) => f.endsWith(".eml")).length < count &&
    Date.now() < deadline
  ) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface OrderView {
  status: string;
  createdAt: string;
  timeline: Array<{ status: string; at: string }>;
}

export async function readOrders(
  baseUrl: string,
  orders: readonly PlacedOrder[],
): Promise<OrderView[]> {
  const views: OrderView[] = [];
  for (const order of orders) {
    const response = await fetch(`${baseUrl}/api/orders/${order.orderId}`, {
      headers: { "X-Customer-Id": order.customerId },
    });
    views.push((await response.json()) as OrderView);
  }
  return views;
}

/** Milliseconds from acceptance (createdAt) to Confirmed, sorted. */
export function confirmationLatencies(views: readonly OrderView[]): number[] {
  return views
    .filter((v) => v.status === "Confirmed")
    .map(
      (v) =>
        Date.parse(v.timeline.find((t) => t.status === "Confirmed")?.at ?? "") -
        Date.parse(v.createdAt),
    )
    .filter((ms) => Number.isFinite(ms))
    .sort((a, b) => a - b);
}

export interface HostStats {
  pid: number;
  invocations: Record<string, number>;
  plugins: {
    durable?: {
      episodes?: number;
      activities?: number;
      storageOperations?: number;
      storageOperationsByKind?: Record<string, number>;
    };
  };
}

export async function hostStats(baseUrls: readonly string[]): Promise<HostStats[]> {
  return Promise.all(
    baseUrls.map(
      async (url) => (await (await fetch(`${url}/admin/host/stats`)).json()) as HostStats,
    ),
  );
}

/** Sums counters of several hosts (a - b when `minus` is given). */
export function sumHostStats(stats: readonly HostStats[], minus: readonly HostStats[] = []) {
  const total = (list: readonly HostStats[]) => {
    const out = { executions: 0, episodes: 0, activities: 0, storageOperations: 0 };
    for (const s of list) {
      out.executions += Object.values(s.invocations).reduce((a, b) => a + b, 0);
      out.episodes += s.plugins.durable?.episodes ?? 0;
      out.activities += s.plugins.durable?.activities ?? 0;
      out.storageOperations += s.plugins.durable?.storageOperations ?? 0;
    }
    return out;
  };
  const a = total(stats);
  const b = total(minus);
  return {
    executions: a.executions - b.executions,
    episodes: a.episodes - b.episodes,
    activities: a.activities - b.activities,
    storageOperations: a.storageOperations - b.storageOperations,
  };
}
