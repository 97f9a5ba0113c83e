import type { Message } from "rhea";

/** Dead-letter reasons the service writes. */
export const DEAD_LETTER = {
  maxDelivery: "MaxDeliveryCountExceeded",
  ttl: "TTLExpiredException",
} as const;

/**
 * The copy a dead-letter sub-queue receives: the message with DeadLetterReason and
 * DeadLetterErrorDescription among its application properties, as the service writes them
 * (left out when the settling client gave none).
 */
export function deadLetteredCopy(
  message: Message,
  reason: string | undefined,
  description: string | undefined,
): Message {
  const props: Record<string, unknown> = { ...(message.application_properties ?? {}) };
  if (reason !== undefined && reason !== null) props.DeadLetterReason = reason;
  if (description !== undefined && description !== null) {
    props.DeadLetterErrorDescription = description;
  }
  return { ...message, application_properties: props };
}
