/**
 * The full local stack for saga scenarios: stand-ins (Azurite, Cosmos server, Service Bus
 * emulator) in this process and the Functions host as a child process running the compiled
 * app, with emails written to a temporary outbox. HTTP in, `.eml` files out.
 */
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CosmosClient } from "@azure/cosmos";
import { COSMOS_CONTAINERS } from "../../shared/config/names";
import { checkInvariants, describeViolations } from "../../shared/invariants/checkInvariants";
import { paymentRecordId } from "../../shared/ports/paymentRecords";
import { Agent } from "node:https";
import { readFileSync } from "node:fs";
import { aCreateOrderRequest } from "../../shared/contracts/testing/httpBuilders";
import type { CreateOrderRequest } from "../../shared/contracts/http/orders";
import { parseStepLine } from "../../shared/adapters/logging/stepLine";
import type { StepFields } from "../../shared/ports/stepLog";
import {
  startHostProcess,
  startStandIns,
  type HostProcess,
  type RunningStandIns,
} from "@order-processing/local-runtime/testing";

export interface SagaStack {
  readonly standIns: RunningStandIns;
  host: HostProcess;
  readonly outbox: string;
  readonly env: Record<string, string>;
  readonly cosmos: CosmosClient;
  restartHost(): Promise<void>;
  stop(): Promise<void>;
}

/** Short step timeouts so timeout scenarios end quickly (local defaults are at most 15 s). */
export const STACK_TIMEOUT_SECONDS = 4;

export async function startSagaStack(
  options: { timeoutSeconds?: number } = {},
): Promise<SagaStack> {
  const timeoutSeconds = String(options.timeoutSeconds ?? STACK_TIMEOUT_SECONDS);
  const standIns = await startStandIns();
  const outbox = await mkdtemp(path.join(tmpdir(), "saga-outbox-"));
  const env: Record<string, string> = {
    ...standIns.settings,
    EMAIL_OUTBOX_DIR: outbox,
    SAGA_INVENTORY_TIMEOUT_SECONDS: timeoutSeconds,
    SAGA_PAYMENT_TIMEOUT_SECONDS: timeoutSeconds,
    LOG_FORMAT: "json",
  };
  const caFile = env.COSMOS_CA_CERT_FILE;
  const endpoint = /AccountEndpoint=([^;]+);/.exec(env.CosmosDbConnection ?? "")?.[1] ?? "";
  // The client does not own an agent it is given: stop() destroys it, or its kept-alive
  // sockets outlive the test file (jest: "a worker process has failed to exit gracefully").
  const agent = caFile ? new Agent({ ca: readFileSync(caFile), keepAlive: true }) : undefined;
  const cosmos = new CosmosClient({ endpoint, key: "local", ...(agent ? { agent } : {}) });
  let host: HostProcess;
  try {
    host = await startHostProcess({ env, readyTimeoutMs: 60_000 });
  } catch (error) {
    await standIns.stop();
    throw error;
  }
  const stack: SagaStack = {
    standIns,
    host,
    outbox,
    env,
    cosmos,
    async restartHost() {
      stack.host = await startHostProcess({ env, readyTimeoutMs: 60_000 });
    },
    async stop() {
      await stack.host.stop().catch(() => undefined);
      cosmos.dispose();
      agent?.destroy();
      await standIns.stop();
      await rm(outbox, { recursive: true, force: true });
    },
  };
  return stack;
}

export type Json = { readonly [key: string]: unknown };

export interface CallResult {
  readonly status: number;
  readonly json: Json;
}

/** The parts of GET /api/orders/{id} the scenarios read. */
export interface OrderJson {
  readonly orderId: string;
  readonly status: string;
  readonly failureReason: string | null;
  readonly timeline: ReadonlyArray<{ readonly status: string; readonly at: string }>;
  readonly total: { readonly amount: number; readonly currency: string };
}

export async function call(
  stack: SagaStack,
  route: string,
  init: { method?: string; customerId?: string; roles?: string; body?: unknown } = {},
): Promise<CallResult> {
  const headers: Record<string, string> = {};
  if (init.customerId) headers["X-Customer-Id"] = init.customerId;
  if (init.roles) headers["X-Roles"] = init.roles;
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${stack.host.baseUrl}/api${route}`, {
    method: init.method ?? "GET",
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : {}) as Json };
}

export async function setStock(stack: SagaStack, sku: string, stock: number): Promise<void> {
  const result = await call(stack, `/inventory/${sku}`, {
    method: "PUT",
    customerId: "operator",
    roles: "admin",
    body: { stock },
  });
  if (result.status !== 200)
    throw new Error(`PUT /inventory/${sku}: ${result.status} ${JSON.stringify(result.json)}`);
}

export interface PlacedOrder {
  readonly orderId: string;
  readonly customerId: string;
}

export async function placeOrder(
  stack: SagaStack,
  customerId: string,
  overrides: Partial<CreateOrderRequest> = {},
): Promise<PlacedOrder> {
  const result = await call(stack, "/orders", {
    method: "POST",
    customerId,
    body: aCreateOrderRequest(overrides),
  });
  if (result.status !== 202)
    throw new Error(`POST /orders: ${result.status} ${JSON.stringify(result.json)}`);
  return { orderId: result.json.orderId as string, customerId };
}

export const TERMINAL = ["Delivered", "Cancelled", "Failed"];

/** Polls the order until `until` holds (a condition, not a sleep: it gives up after `timeoutMs`). */
export async function waitForOrder(
  stack: SagaStack,
  order: PlacedOrder,
  until: (order: OrderJson) => boolean,
  timeoutMs = 60_000,
): Promise<OrderJson> {
  const deadline = Date.now() + timeoutMs;
  let last: OrderJson | undefined;
  while (Date.now() < deadline) {
    const result = await call(stack, `/orders/${order.orderId}`, { customerId: order.customerId });
    last = result.json as unknown as OrderJson;
    if (result.status === 200 && until(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(
    `order ${order.orderId} did not get there in ${timeoutMs} ms; last: ${JSON.stringify(last)}`,
  );
}

export const hasStatus =
  (...statuses: string[]) =>
  (order: OrderJson): boolean =>
    statuses.includes(order.status);

/** Waits until the saga instance reports the given custom status step (e.g. AwaitingShipment). */
export async function waitForStep(
  stack: SagaStack,
  orderId: string,
  step: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(
      `${stack.host.baseUrl}/runtime/webhooks/durabletask/instances/${orderId}`,
    );
    if (response.status === 200 || response.status === 202) {
      const status = (await response.json()) as { customStatus?: { step?: string } };
      if (status.customStatus?.step === step) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`saga ${orderId} never reached step ${step}`);
}

/** The `.eml` files of one order, by template, once `count` of them exist. */
export async function emailsOf(stack: SagaStack, orderId: string): Promise<Record<string, string>> {
  const files = (await readdir(stack.outbox)).filter(
    (f) => f.startsWith(`${orderId}_`) && f.endsWith(".eml"),
  );
  const out: Record<string, string> = {};
  for (const file of files) {
    out[file.slice(orderId.length + 1, -4)] = await readFile(path.join(stack.outbox, file), "utf8");
  }
  return out;
}

export async function waitForEmails(
  stack: SagaStack,
  orderId: string,
  templates: string[],
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const emails = await emailsOf(stack, orderId);
    if (templates.every((t) => t in emails)) return emails;
    if (Date.now() > deadline)
      throw new Error(
        `emails of ${orderId}: have ${Object.keys(emails).join(",")}, want ${templates.join(",")}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs the invariant checker over these orders and fails the test with every violation. */
export async function expectInvariants(
  stack: SagaStack,
  orderIds: readonly string[],
  requireSettled = true,
): Promise<void> {
  const database = stack.cosmos.database(stack.env.COSMOS_DATABASE_NAME ?? "orders");
  const report = await checkInvariants(
    {
      orders: database.container(COSMOS_CONTAINERS.orders.id),
      products: database.container(COSMOS_CONTAINERS.products.id),
      ledger: database.container(COSMOS_CONTAINERS.ledger.id),
    },
    { orderIds, requireSettled },
  );
  expect(describeViolations(report)).toBe("");
  expect(report.ordersChecked).toBe(orderIds.length);
}

/** The ledger's payment record of an order (for the refund/void assertions). */
export function paymentRecordOf(stack: SagaStack, orderId: string): Promise<Json | undefined> {
  return readDocument(stack, COSMOS_CONTAINERS.ledger.id, paymentRecordId(orderId), orderId);
}

/** The product's stock document as the inventory worker keeps it (counters and holds). */
export function productStockOf(stack: SagaStack, sku: string): Promise<Json | undefined> {
  return readDocument(stack, COSMOS_CONTAINERS.products.id, sku, sku);
}

async function readDocument(
  stack: SagaStack,
  containerId: string,
  id: string,
  partitionKey: string,
): Promise<Json | undefined> {
  const database = stack.cosmos.database(stack.env.COSMOS_DATABASE_NAME ?? "orders");
  const { resource } = await database
    .container(containerId)
    .item(id, partitionKey)
    .read<Json & { id: string }>();
  return resource;
}

export const admin = { customerId: "operator", roles: "admin" } as const;

/** Polls until every order satisfies `until`; returns the last view of each. */
export async function waitForAll(
  stack: SagaStack,
  orders: readonly PlacedOrder[],
  until: (order: OrderJson) => boolean,
  timeoutMs: number,
): Promise<OrderJson[]> {
  const deadline = Date.now() + timeoutMs;
  const done = new Map<string, OrderJson>();
  while (done.size < orders.length) {
    const pending: string[] = [];
    for (const order of orders) {
      if (done.has(order.orderId)) continue;
      const result = await call(stack, `/orders/${order.orderId}`, {
        customerId: order.customerId,
      });
      const view = result.json as unknown as OrderJson;
      if (result.status === 200 && until(view)) done.set(order.orderId, view);
      else pending.push(`${order.orderId}:${view.status}`);
    }
    if (pending.length > 0 && Date.now() > deadline) {
      throw new Error(
        `${pending.length} of ${orders.length} orders did not settle: ${pending.join(", ")}`,
      );
    }
    if (done.size < orders.length) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return orders.map((order) => done.get(order.orderId) as OrderJson);
}

/** A step line the host printed (the stack runs LOG_FORMAT=json), with who wrote it. */
export interface HostStepLine {
  readonly fn: string;
  readonly invocationId: string;
  readonly level: string;
  readonly fields: StepFields;
}

/** The step lines in the host's output so far, oldest first. */
export function stepLines(stack: SagaStack): HostStepLine[] {
  return stack.host.lines.flatMap((line) => {
    let entry: Json;
    try {
      entry = JSON.parse(line) as Json;
    } catch {
      return [];
    }
    const fields = typeof entry.message === "string" ? parseStepLine(entry.message) : undefined;
    if (!fields) return [];
    return [
      {
        fn: String(entry.function),
        invocationId: String(entry.invocationId),
        level: String(entry.level),
        fields,
      },
    ];
  });
}
