import { bodyLength } from "../incomingMessage";
import type { MessageStore } from "../messageStore";

/** The message counts the management API reports for a queue or subscription. */
export interface RuntimeCounts {
  /** Available, locked and deferred messages (deferred ones stay in the entity, as on the service). */
  readonly active: number;
  readonly deadLetter: number;
  readonly scheduled: number;
  /** Payload bytes held, dead-letter sub-queue included (bodies only; no per-message overhead). */
  readonly sizeInBytes: number;
}

/** Counted on demand by walking the messages: management reads are rare, sends are not. */
export function runtimeCounts(store: MessageStore): RuntimeCounts {
  let active = 0;
  let scheduled = 0;
  let sizeInBytes = 0;
  for (const m of store.messages()) {
    if (m.state === "scheduled") scheduled++;
    else active++;
    sizeInBytes += bodyLength(m.message.body);
  }
  const dlq = store.deadLetterQueue;
  for (const m of dlq?.messages() ?? []) sizeInBytes += bodyLength(m.message.body);
  return { active, deadLetter: dlq?.messageCount ?? 0, scheduled, sizeInBytes };
}

export const NO_COUNTS: RuntimeCounts = { active: 0, deadLetter: 0, scheduled: 0, sizeInBytes: 0 };

export function addCounts(a: RuntimeCounts, b: RuntimeCounts): RuntimeCounts {
  return {
    active: a.active + b.active,
    deadLetter: a.deadLetter + b.deadLetter,
    scheduled: a.scheduled + b.scheduled,
    sizeInBytes: a.sizeInBytes + b.sizeInBytes,
  };
}
