import type { ServiceBusAdministrationClient } from "@azure/service-bus";
import type { DeadLetterTarget } from "./deadLetterQueue";

/** Message counts of one queue or topic subscription, from the management API. */
export interface EntityCounts {
  /** Queue name, or `topic/subscription`. */
  readonly entity: string;
  readonly active: number;
  readonly deadLetter: number;
  readonly scheduled: number;
}

/**
 * Counts through ServiceBusAdministrationClient's runtime properties: one request per entity
 * (or per page of them), where counting by peeking would read every message. Without a target,
 * every queue and every topic subscription of the namespace.
 */
export async function entityCounts(
  admin: ServiceBusAdministrationClient,
  target?: DeadLetterTarget,
): Promise<EntityCounts[]> {
  const row = (
    entity: string,
    p: {
      activeMessageCount: number;
      deadLetterMessageCount: number;
      scheduledMessageCount?: number;
    },
  ): EntityCounts => ({
    entity,
    active: p.activeMessageCount,
    deadLetter: p.deadLetterMessageCount,
    scheduled: p.scheduledMessageCount ?? 0,
  });
  if (target?.subscription) {
    const p = await admin.getSubscriptionRuntimeProperties(target.entity, target.subscription);
    return [row(`${target.entity}/${target.subscription}`, p)];
  }
  if (target) return [row(target.entity, await admin.getQueueRuntimeProperties(target.entity))];
  const rows: EntityCounts[] = [];
  for await (const q of admin.listQueuesRuntimeProperties()) rows.push(row(q.name, q));
  for await (const t of admin.listTopics()) {
    for await (const s of admin.listSubscriptionsRuntimeProperties(t.name)) {
      rows.push(row(`${t.name}/${s.subscriptionName}`, s));
    }
  }
  return rows;
}
