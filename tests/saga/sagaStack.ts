/**
 * The saga scenarios' stack: the whole app on the shared test stack (tests/support), with
 * short step timeouts, JSON host logs and a temporary email outbox. HTTP in, `.eml` files
 * out; what the scenarios read besides the API (emails, step lines, ledger and stock
 * documents, the invariant checker) is here.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { EmulatorConfig } from "@order-processing/local-runtime/servicebus";
import { COSMOS_CONTAINERS, QUEUES } from "../../shared/config/names";
import { RENEWAL_OVERRIDE_SETTING } from "../../shared/config/sagaTimeoutRule";
import { checkInvariants, describeViolations } from "../../shared/invariants/checkInvariants";
import { paymentRecordId } from "../../shared/ports/paymentRecords";
import { hostStepLines, type HostStepLine } from "../support/hostStepLines";
import { startTestStack, type TestStack } from "../support/testStack";
import { waitFor } from "../support/waitFor";

export type SagaStack = TestStack;
export type Json = { readonly [key: string]: unknown };

/**
 * Short step timeouts so timeout scenarios end quickly. The saga timeout rule
 * (shared/config/sagaTimeoutRule.ts) still holds: the stack runs the project topology with
 * 2 s locks on the command queues and a 6 s renewal limit (tok_timeout's handler takes 5 s),
 * so a timeout above 8 s keeps it.
 */
export const STACK_TIMEOUT_SECONDS = 9;
const STACK_LOCK = "PT2S";
const STACK_RENEWAL = "00:00:06";

/** The project topology with short locks on the saga's queues. */
function shortLockTopology(): EmulatorConfig {
  const file = path.join(__dirname, "..", "..", "infra", "servicebus", "config.json");
  const config = JSON.parse(readFileSync(file, "utf8")) as {
    UserConfig: { Namespaces: Array<{ Queues: Array<{ Name: string; Properties: object }> }> };
  };
  const short = [QUEUES.inventory, QUEUES.payments, QUEUES.sagaReplies] as string[];
  for (const queue of config.UserConfig.Namespaces.flatMap((ns) => ns.Queues)) {
    if (short.includes(queue.Name))
      queue.Properties = { ...queue.Properties, LockDuration: STACK_LOCK };
  }
  return config as unknown as EmulatorConfig;
}

/** `instances`: Functions host processes sharing the work (the test stack's default otherwise). */
export async function startSagaStack(
  options: {
    timeoutSeconds?: number;
    instances?: number;
    /** More host settings, over the stack's. */
    settings?: Readonly<Record<string, string>>;
  } = {},
): Promise<SagaStack> {
  const topology = shortLockTopology();
  const dir = await mkdtemp(path.join(tmpdir(), "saga-topology-"));
  const topologyFile = path.join(dir, "config.json");
  await writeFile(topologyFile, JSON.stringify(topology));
  try {
    const stack = await startTestStack({
      standIns: { serviceBusConfig: topology },
      stepTimeoutSeconds: options.timeoutSeconds ?? STACK_TIMEOUT_SECONDS,
      logFormat: "json",
      ...(options.instances === undefined ? {} : { instances: options.instances }),
      settings: {
        ...options.settings,
        SERVICEBUS_TOPOLOGY_FILE: topologyFile,
        [RENEWAL_OVERRIDE_SETTING]: STACK_RENEWAL,
      },
    });
    const stop = stack.stop.bind(stack);
    return Object.assign(stack, {
      stop: async () => {
        await stop();
        await rm(dir, { recursive: true, force: true });
      },
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Waits until the saga instance reports the given custom status step (e.g. AwaitingShipment). */
export async function waitForStep(
  stack: SagaStack,
  orderId: string,
  step: string,
  timeoutMs = 60_000,
): Promise<void> {
  await waitFor(
    async () => {
      const instance = await stack.api.sagaInstance(orderId);
      const reached =
        (instance.status === 200 || instance.status === 202) &&
        instance.json?.customStatus?.step === step;
      return reached ? true : undefined;
    },
    { timeoutMs, intervalMs: 100, what: `saga ${orderId} reaching step ${step}` },
  );
}

/** The `.eml` files of one order so far, by template. */
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

/** The `.eml` files of one order, by template, once every one of `templates` exists. */
export async function waitForEmails(
  stack: SagaStack,
  orderId: string,
  templates: string[],
  timeoutMs = 30_000,
): Promise<Record<string, string>> {
  let have: string[] = [];
  return waitFor(
    async () => {
      const emails = await emailsOf(stack, orderId);
      have = Object.keys(emails);
      return templates.every((t) => t in emails) ? emails : undefined;
    },
    {
      timeoutMs,
      intervalMs: 100,
      what: () => `emails of ${orderId}: have ${have.join(",")}, want ${templates.join(",")}`,
    },
  );
}

/** Runs the invariant checker over these orders and fails the test with every violation. */
export async function expectInvariants(
  stack: SagaStack,
  orderIds: readonly string[],
  requireSettled = true,
): Promise<void> {
  const database = stack.database();
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
  const { resource } = await stack
    .database()
    .container(containerId)
    .item(id, partitionKey)
    .read<Json & { id: string }>();
  return resource;
}

/**
 * The step lines the hosts printed so far (the stack runs LOG_FORMAT=json), oldest first
 * within each host.
 */
export function stepLines(stack: SagaStack): HostStepLine[] {
  return stack.hosts.flatMap((host) => hostStepLines(host, "json"));
}
