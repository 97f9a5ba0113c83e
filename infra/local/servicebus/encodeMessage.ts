import rhea from "rhea";
import type { StoredMessage } from "./storedMessage";

// rhea hangs these on its container instance, which a named import does not reach.
const { message: amqpMessage, types } = rhea;

/** x-opt-message-state values the SDK reads into `state`. */
const MESSAGE_STATE = { active: 0, deferred: 1, scheduled: 2 } as const;

/**
 * The wire form of a stored message: the sender's message plus the annotations the service
 * adds (x-opt-sequence-number, x-opt-enqueued-time, x-opt-locked-until, message state) and the
 * header delivery-count.
 */
export function encodeStoredMessage(
  m: StoredMessage,
  opts: { lockedUntil?: number | undefined } = {},
): Buffer {
  const annotations: Record<string, unknown> = {
    ...(m.message.message_annotations ?? {}),
    "x-opt-sequence-number": types.wrap_long(m.seq),
    "x-opt-enqueued-time": new Date(m.enqueuedAt),
  };
  if (opts.lockedUntil !== undefined)
    annotations["x-opt-locked-until"] = new Date(opts.lockedUntil);
  if (m.state === "scheduled") {
    annotations["x-opt-message-state"] = MESSAGE_STATE.scheduled;
    if (m.scheduledAt !== undefined)
      annotations["x-opt-scheduled-enqueue-time"] = new Date(m.scheduledAt);
  } else if (m.deferred) {
    annotations["x-opt-message-state"] = MESSAGE_STATE.deferred;
  }
  return amqpMessage.encode({
    ...m.message,
    delivery_count: m.deliveryCount,
    message_annotations: annotations,
  });
}
