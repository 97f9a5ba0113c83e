import type { Clock, MessagePublisher, OrderRepository } from "../ports";

export interface OutboxRelayDeps {
  readonly orders: OrderRepository;
  readonly publisher: MessagePublisher;
  readonly clock: Clock;
  readonly logger: { warn(message: string, fields?: Record<string, unknown>): void };
  /** Entries younger than this are left to the request that wrote them. */
  readonly graceInMs: number;
  readonly batchSize: number;
  readonly publishTimeoutInMs: number;
}

export interface OutboxRelayResult {
  readonly published: number;
  readonly failed: number;
}

/**
 * The timer-driven outbox relay: indexes the order of every pending outbox entry older
 * than the grace period, sends the entry and marks it sent (it then expires by TTL). Re-sending an entry the API already
 * published is harmless: the message id is the event id, and duplicate detection drops it.
 * A failed send stays pending for the next run; if every send failed the run throws, so
 * the failure is visible to the platform rather than only logged.
 */
export function createOutboxRelay(deps: OutboxRelayDeps): () => Promise<OutboxRelayResult> {
  return async () => {
    const now = deps.clock.now();
    const pending = await deps.orders.pendingOutbox(
      new Date(now.getTime() - deps.graceInMs),
      deps.batchSize,
    );
    let published = 0;
    let lastError: unknown;
    for (const entry of pending) {
      try {
        // The order is committed (its entry is); indexing it before OrderPlaced leaves
        // covers a request that died between the commit and its own index write.
        await deps.orders.indexOrder(entry);
        await deps.publisher.publish(entry.destination, entry.envelope, {
          abortSignal: AbortSignal.timeout(deps.publishTimeoutInMs),
        });
      } catch (error) {
        lastError = error;
        deps.logger.warn("outbox entry not published; will retry", {
          eventId: entry.eventId,
          error: error instanceof Error ? error.message : String(error),
        });
        continue;
      }
      await deps.orders.markOutboxSent(entry.customerId, entry.eventId, deps.clock.now());
      published += 1;
    }
    const failed = pending.length - published;
    if (published === 0 && failed > 0) throw lastError;
    return { published, failed };
  };
}
