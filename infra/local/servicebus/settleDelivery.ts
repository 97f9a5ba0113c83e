import type { Delivery } from "rhea";
import { BrokerError } from "./brokerError";
import type { MessageStore } from "./messageStore";
import { forgetDelivery, outcomes } from "./rheaInternals";

export type Outcome = "accepted" | "released" | "modified" | "rejected";

/**
 * Turns a client's disposition of a peek-locked delivery into a store operation: accepted
 * completes, released abandons, modified abandons or (undeliverable-here) defers with the
 * property changes, rejected dead-letters with the reason and description from the error info.
 */
export function settleDelivery(
  store: MessageStore,
  token: string,
  outcome: Outcome,
  delivery: Delivery & { remote_state?: Record<string, unknown> },
): void {
  const state = delivery.remote_state ?? {};
  try {
    if (outcome === "accepted") {
      store.complete(token);
    } else if (outcome === "released") {
      store.abandon(token);
    } else if (outcome === "modified") {
      const props = state.message_annotations as Record<string, unknown> | undefined;
      if (state.undeliverable_here) store.defer(token, props);
      else store.abandon(token, props);
    } else {
      const error = (state.error ?? {}) as { info?: Record<string, unknown> };
      const info = { ...(error.info ?? {}) };
      const reason = info.DeadLetterReason as string | undefined;
      const description = info.DeadLetterErrorDescription as string | undefined;
      delete info.DeadLetterReason;
      delete info.DeadLetterErrorDescription;
      store.deadLetterByToken(token, reason, description, info);
    }
    // Every successful settlement is answered "accepted": the SDK treats any other echoed
    // outcome carrying an error (a dead-letter is a rejected outcome) as a failure.
    delivery.update(true, outcomes.accepted().described());
    forgetDelivery(delivery);
  } catch (e) {
    const err = e instanceof BrokerError ? e : new BrokerError("amqp:internal-error", String(e));
    delivery.update(
      true,
      outcomes
        .rejected({ error: { condition: err.condition, description: err.message } })
        .described(),
    );
    forgetDelivery(delivery);
  }
}
