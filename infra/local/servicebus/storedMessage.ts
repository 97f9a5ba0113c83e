import type { Message } from "rhea";
import type { TimerHandle } from "./timerQueue";

export type MessageState = "available" | "locked" | "deferred" | "scheduled" | "removed";

/** One message held by a queue, a subscription or a dead-letter sub-queue. */
export interface StoredMessage {
  /** Per-entity sequence number, assigned when the message enters the entity. */
  readonly seq: number;
  /** The AMQP message as the sender sent it; properties changed by abandon/defer/dead-letter land here. */
  message: Message;
  readonly enqueuedAt: number;
  readonly expiresAt: number;
  readonly sessionId: string | undefined;
  /** Deliveries so far; sent as the AMQP header delivery-count (0 on the first delivery). */
  deliveryCount: number;
  state: MessageState;
  /** Set once deferred: such a message is only handed out by sequence number. */
  deferred: boolean;
  scheduledAt: number | undefined;
  lockToken: string | undefined;
  lockedUntil: number;
  timer: TimerHandle | undefined;
  expiryTimer: TimerHandle | undefined;
}

/** A message just entering an entity: available, never delivered unless `deliveryCount` says so. */
export function newStoredMessage(
  seq: number,
  message: Message,
  enqueuedAt: number,
  fields: Pick<StoredMessage, "expiresAt" | "sessionId" | "deliveryCount">,
): StoredMessage {
  return {
    seq,
    message,
    enqueuedAt,
    ...fields,
    state: "available",
    deferred: false,
    scheduledAt: undefined,
    lockToken: undefined,
    lockedUntil: 0,
    timer: undefined,
    expiryTimer: undefined,
  };
}
