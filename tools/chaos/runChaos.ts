/**
 * One chaos run: start the stack (npm start with fault injection), give the SKUs it orders
 * plenty of stock, place orders at the plan's rate while its faults come and go, wait until
 * every order settled and the queues are empty, switch the faults off, check each order
 * against its token, run the invariant checker, count the dead-letter queues, and write
 * report.json, report.html and stack.log to `outDir`.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ServiceBusClient } from "@azure/service-bus";
import { checkStackInvariants, countDeadLetters, deadLetterTargets } from "./chaosChecks";
import { tokenSequence, validatePlan, type ChaosPlan } from "./chaosPlan";
import { buildReport, type ChaosReport } from "./chaosReport";
import { startChaosStack, type ChaosStack } from "./chaosStack";
import { scheduleFaults } from "./faultSchedule";
import { CHAOS_SKUS, placeOrders } from "./orderLoad";
import { reportHtml } from "./reportHtml";
import { settleOrders } from "./settleOrders";

export interface ChaosRun {
  readonly report: ChaosReport;
  readonly jsonFile: string;
  readonly htmlFile: string;
  readonly logFile: string;
}

const STOCK = 1_000_000;
const DRAIN_TIMEOUT_MS = 120_000;

async function seedStock(stack: ChaosStack): Promise<void> {
  for (const sku of CHAOS_SKUS) {
    const response = await fetch(`${stack.hostUrl}/api/inventory/${sku}`, {
      method: "PUT",
      headers: { "Content-Type": "application/json", "X-Customer-Id": "chaos", "X-Roles": "admin" },
      body: JSON.stringify({ stock: STOCK }),
    });
    if (response.status !== 200)
      throw new Error(`PUT /api/inventory/${sku}: ${response.status} ${await response.text()}`);
  }
}

/**
 * Waits until no queue or subscription holds a message (a command or reply still on its way
 * after its order settled, a late redelivery), so the checks see the end state. False when
 * messages are still there after the timeout.
 */
async function waitForEmptyQueues(stack: ChaosStack, timeoutMs: number): Promise<boolean> {
  const client = new ServiceBusClient(stack.serviceBusConnection);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      let busy = false;
      for (const target of deadLetterTargets()) {
        const receiver = target.subscription
          ? client.createReceiver(target.entity, target.subscription)
          : client.createReceiver(target.entity);
        const peeked = await receiver.peekMessages(1);
        await receiver.close();
        if (peeked.length > 0) busy = true;
      }
      if (!busy) return true;
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    await client.close();
  }
}

export async function runChaos(
  plan: ChaosPlan,
  options: { readonly outDir: string; readonly log?: (line: string) => void },
): Promise<ChaosRun> {
  validatePlan(plan);
  const log = options.log ?? (() => undefined);
  mkdirSync(options.outDir, { recursive: true });
  const logFile = path.join(options.outDir, "stack.log");
  log(`chaos: starting npm start -- --faults (output in ${logFile})`);
  const stack = await startChaosStack({ settings: plan.settings, logFile });
  try {
    await seedStock(stack);
    const count = Math.round((plan.rate * plan.durationMs) / 1000);
    const startedAt = Date.now() + 500;
    const schedule = scheduleFaults(stack.faultsUrl, plan, startedAt);
    log(`chaos: ${count} orders at ${plan.rate}/s, ${plan.faults.length} faults scheduled`);
    const progress = setInterval(
      () => log(`chaos: ${Math.round((Date.now() - startedAt) / 1000)} s`),
      10_000,
    );
    const orders = await placeOrders({
      hostUrl: stack.hostUrl,
      runId: randomUUID().slice(0, 8),
      rate: plan.rate,
      tokens: tokenSequence(plan, count),
      startedAt,
    }).finally(() => clearInterval(progress));
    const arrivalsEndedAt = Math.max(Date.now(), startedAt + plan.durationMs);
    log(
      `chaos: ${orders.filter((o) => o.orderId).length} of ${count} accepted; waiting until every order settles`,
    );
    let lastLogged = 0;
    const views = await settleOrders({
      hostUrl: stack.hostUrl,
      orders,
      timeoutMs: plan.settleTimeoutMs,
      outboxDir: stack.outboxDir,
      onProgress: (settled, total) => {
        if (Date.now() - lastLogged < 10_000) return;
        lastLogged = Date.now();
        log(`chaos: ${settled}/${total} settled`);
      },
    });
    const settledAt = Date.now();
    await schedule.clearAll();
    const drained = await waitForEmptyQueues(stack, DRAIN_TIMEOUT_MS);
    if (!drained) log("chaos: queues still held messages after 2 minutes; checking anyway");
    const faults = await schedule.snapshot();
    const orderIds = orders.flatMap((o) => (o.orderId ? [o.orderId] : []));
    const invariants = await checkStackInvariants(stack, orderIds);
    const deadLetters = await countDeadLetters(stack);
    const built = buildReport({
      plan,
      startedAt,
      arrivalsEndedAt,
      settledAt,
      orders,
      views,
      invariants,
      deadLetters,
      faults,
    });
    const problems = [
      ...built.problems,
      ...schedule.errors.map((e) => `fault schedule: ${e}`),
      ...(drained ? [] : ["queues still held messages 2 minutes after every order settled"]),
    ];
    const report: ChaosReport = { ...built, problems, ok: problems.length === 0 };
    const jsonFile = path.join(options.outDir, "report.json");
    const htmlFile = path.join(options.outDir, "report.html");
    writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(htmlFile, reportHtml(report));
    return { report, jsonFile, htmlFile, logFile };
  } finally {
    await stack.stop();
  }
}
