/**
 * The checks after a run, against the stack's own stores: the invariant checker over every
 * accepted order (Cosmos), and what sits in each dead-letter queue (Service Bus).
 */
import { readFileSync } from "node:fs";
import { Agent } from "node:https";
import path from "node:path";
import { CosmosClient } from "@azure/cosmos";
import { ServiceBusClient } from "@azure/service-bus";
import { COSMOS_CONTAINERS, COSMOS_DATABASE_DEFAULT } from "../../shared/config/names";
import { checkInvariants, type InvariantReport } from "../../shared/invariants/checkInvariants";
import { listDeadLetters, type DeadLetterTarget } from "../ops/deadLetterQueue";
import { COSMOS_EMULATOR_KEY } from "@order-processing/local-runtime/testing";
import { REPO_ROOT } from "../repoRoot";
import type { ChaosStack } from "./chaosStack";
import { CHAOS_SKUS } from "./orderLoad";

export async function checkStackInvariants(
  stack: ChaosStack,
  orderIds: readonly string[],
): Promise<InvariantReport> {
  const agent = new Agent({ ca: stack.cosmosCa, keepAlive: true });
  const cosmos = new CosmosClient({
    endpoint: stack.cosmosEndpoint,
    key: COSMOS_EMULATOR_KEY,
    agent,
  });
  try {
    const database = cosmos.database(
      stack.settings.COSMOS_DATABASE_NAME ?? COSMOS_DATABASE_DEFAULT,
    );
    return await checkInvariants(
      {
        orders: database.container(COSMOS_CONTAINERS.orders.id),
        products: database.container(COSMOS_CONTAINERS.products.id),
        ledger: database.container(COSMOS_CONTAINERS.ledger.id),
      },
      // Every SKU the run sells, so stock held for an order that does not exist shows too.
      { orderIds, skus: CHAOS_SKUS },
    );
  } finally {
    cosmos.dispose();
    agent.destroy();
  }
}

export interface DeadLetterCount {
  /** `queue`, or `topic/subscription`. */
  readonly entity: string;
  readonly count: number;
  /** DeadLetterReason → messages. */
  readonly reasons: Readonly<Record<string, number>>;
}

/** Every queue and topic subscription of the project topology. */
export function deadLetterTargets(): DeadLetterTarget[] {
  const topology = JSON.parse(
    readFileSync(path.join(REPO_ROOT, "infra", "servicebus", "config.json"), "utf8"),
  ) as {
    UserConfig: {
      Namespaces: Array<{
        Queues?: Array<{ Name: string }>;
        Topics?: Array<{ Name: string; Subscriptions?: Array<{ Name: string }> }>;
      }>;
    };
  };
  return topology.UserConfig.Namespaces.flatMap((ns) => [
    ...(ns.Queues ?? []).map((q) => ({ entity: q.Name })),
    ...(ns.Topics ?? []).flatMap((t) =>
      (t.Subscriptions ?? []).map((s) => ({ entity: t.Name, subscription: s.Name })),
    ),
  ]);
}

export async function countDeadLetters(stack: ChaosStack): Promise<DeadLetterCount[]> {
  const client = new ServiceBusClient(stack.serviceBusConnection);
  try {
    const counts: DeadLetterCount[] = [];
    for (const target of deadLetterTargets()) {
      const messages = await listDeadLetters(client, target, { maxCount: 10_000 });
      const reasons: Record<string, number> = {};
      for (const m of messages) {
        const reason = m.deadLetterReason ?? "(none)";
        reasons[reason] = (reasons[reason] ?? 0) + 1;
      }
      counts.push({
        entity: target.subscription ? `${target.entity}/${target.subscription}` : target.entity,
        count: messages.length,
        reasons,
      });
    }
    return counts;
  } finally {
    await client.close();
  }
}
