import type { z } from "zod";
import type { CloudEventAttributes } from "../contracts/messages/envelope";
import { fromServiceBusMessage } from "../contracts/messages/serviceBusMessage";
import type { StepLog } from "../ports/stepLog";
import { PoisonMessageError } from "./poisonMessageError";

/**
 * What a queue trigger hands a worker: the body, the broker's message id, and the step log
 * of the invocation that received it (so its lines carry that invocation's id).
 */
export interface ReceivedMessage {
  readonly body: unknown;
  readonly messageId?: unknown;
  readonly deliveryCount?: number;
  readonly log: StepLog;
}

/** Validates a received message first of all; an invalid one is poison, never retried. */
export function parseReceived<S extends z.ZodType<CloudEventAttributes>>(
  schema: S,
  message: ReceivedMessage,
): z.output<S> {
  const parsed = fromServiceBusMessage(schema, message);
  if (!parsed.ok) throw new PoisonMessageError("InvalidMessage", parsed.reason);
  return parsed.message;
}
