import Long from "long";
import type {
  ServiceBusClient,
  ServiceBusMessage,
  ServiceBusReceivedMessage,
  ServiceBusReceiver,
} from "@azure/service-bus";

/** A queue, or a topic subscription, whose dead-letter sub-queue is worked on. */
export interface DeadLetterTarget {
  /** Queue name, or topic name when `subscription` is set. */
  readonly entity: string;
  readonly subscription?: string;
}

/** Which dead-lettered messages a command applies to; at least one field must select. */
export interface DeadLetterSelector {
  readonly sequenceNumbers?: readonly string[];
  readonly messageIds?: readonly string[];
  readonly all?: boolean;
}

/** What an operator needs to decide about a dead-lettered message. */
export interface DeadLetterSummary {
  readonly sequenceNumber: string;
  readonly messageId: string;
  readonly subject: string | undefined;
  readonly correlationId: string | undefined;
  readonly enqueuedTime: string | undefined;
  readonly deliveryCount: number | undefined;
  readonly deadLetterReason: string | undefined;
  readonly deadLetterErrorDescription: string | undefined;
}

/** A summary plus the body and properties. */
export interface DeadLetterDetail extends DeadLetterSummary {
  readonly contentType: string | undefined;
  readonly applicationProperties: Record<string, unknown>;
  readonly body: unknown;
}

export interface ListDeadLettersOptions {
  /** Most messages to return. */
  readonly maxCount: number;
}

export interface ReceiveDeadLettersOptions {
  /** How long one receive waits for more messages before the scan ends. */
  readonly maxWaitTimeInMs?: number;
}

const PAGE = 100;
/**
 * Properties Service Bus adds when it dead-letters a message; they describe the original's
 * fate, so the resubmitted copy does not carry them.
 */
const DEAD_LETTER_PROPERTIES = ["DeadLetterReason", "DeadLetterErrorDescription"];
/** Service Bus limits message ids to 128 characters. */
const MAX_MESSAGE_ID = 128;

function describeTarget(target: DeadLetterTarget): string {
  return target.subscription ? `${target.entity}/${target.subscription}` : target.entity;
}

function openReceiver(client: ServiceBusClient, target: DeadLetterTarget): ServiceBusReceiver {
  const options = { subQueueType: "deadLetter" as const, receiveMode: "peekLock" as const };
  return target.subscription
    ? client.createReceiver(target.entity, target.subscription, options)
    : client.createReceiver(target.entity, options);
}

function summarize(m: ServiceBusReceivedMessage): DeadLetterSummary {
  return {
    sequenceNumber: m.sequenceNumber?.toString() ?? "",
    messageId: String(m.messageId ?? ""),
    subject: m.subject,
    correlationId: m.correlationId === undefined ? undefined : String(m.correlationId),
    enqueuedTime: m.enqueuedTimeUtc?.toISOString(),
    deliveryCount: m.deliveryCount,
    deadLetterReason: m.deadLetterReason,
    deadLetterErrorDescription: m.deadLetterErrorDescription,
  };
}

function detail(m: ServiceBusReceivedMessage): DeadLetterDetail {
  return {
    ...summarize(m),
    contentType: m.contentType,
    applicationProperties: { ...(m.applicationProperties ?? {}) },
    body: Buffer.isBuffer(m.body) ? { base64: m.body.toString("base64") } : m.body,
  };
}

function selects(selector: DeadLetterSelector, m: ServiceBusReceivedMessage): boolean {
  if (selector.all) return true;
  const seq = m.sequenceNumber?.toString();
  return (
    (seq !== undefined && (selector.sequenceNumbers ?? []).includes(seq)) ||
    (selector.messageIds ?? []).includes(String(m.messageId))
  );
}

function assertSelects(selector: DeadLetterSelector): void {
  const named = (selector.sequenceNumbers?.length ?? 0) + (selector.messageIds?.length ?? 0);
  if (!selector.all && named === 0) {
    throw new Error("select messages with --sequence-number, --message-id, or --all");
  }
}

/**
 * Pages through the queue by peeking from explicit sequence numbers. Without one, the SDK
 * continues from the last sequence number any receiver of the same client peeked (its
 * management link is shared per entity), so a second listing would start at the end.
 */
async function* peekPages(
  receiver: ServiceBusReceiver,
): AsyncGenerator<ServiceBusReceivedMessage[]> {
  let from = Long.ZERO;
  for (;;) {
    const page = await receiver.peekMessages(PAGE, { fromSequenceNumber: from });
    if (page.length === 0) return;
    yield page;
    const last = page[page.length - 1]!.sequenceNumber;
    if (last === undefined) return;
    from = last.add(1);
  }
}

/** Peeks (does not lock) up to `maxCount` dead-lettered messages, oldest first. */
export async function listDeadLetters(
  client: ServiceBusClient,
  target: DeadLetterTarget,
  options: ListDeadLettersOptions,
): Promise<DeadLetterDetail[]> {
  const receiver = openReceiver(client, target);
  try {
    const found: DeadLetterDetail[] = [];
    for await (const page of peekPages(receiver)) {
      found.push(...page.slice(0, options.maxCount - found.length).map(detail));
      if (found.length >= options.maxCount) break;
    }
    return found;
  } finally {
    await receiver.close();
  }
}

/** Peeks until the selected messages are found; nothing is locked or changed. */
export async function showDeadLetters(
  client: ServiceBusClient,
  target: DeadLetterTarget,
  selector: DeadLetterSelector,
): Promise<DeadLetterDetail[]> {
  assertSelects(selector);
  const receiver = openReceiver(client, target);
  try {
    const found: DeadLetterDetail[] = [];
    for await (const page of peekPages(receiver)) {
      found.push(...page.filter((m) => selects(selector, m)).map(detail));
    }
    return found;
  } finally {
    await receiver.close();
  }
}

/**
 * Locks the dead-letter queue's messages one batch after another, hands each selected one to
 * `act` and completes it, and abandons the rest only at the end, so that no message is
 * received twice in one scan. Returns the selected messages.
 */
async function settleSelected(
  client: ServiceBusClient,
  target: DeadLetterTarget,
  selector: DeadLetterSelector,
  options: ReceiveDeadLettersOptions,
  act: (m: ServiceBusReceivedMessage) => Promise<void>,
): Promise<DeadLetterSummary[]> {
  assertSelects(selector);
  const wanted = selector.all
    ? Number.POSITIVE_INFINITY
    : (selector.sequenceNumbers?.length ?? 0) + (selector.messageIds?.length ?? 0);
  const receiver = openReceiver(client, target);
  const skipped: ServiceBusReceivedMessage[] = [];
  const done: DeadLetterSummary[] = [];
  try {
    while (done.length < wanted) {
      const batch = await receiver.receiveMessages(PAGE, {
        maxWaitTimeInMs: options.maxWaitTimeInMs ?? 2000,
      });
      if (batch.length === 0) break;
      for (const m of batch) {
        if (done.length < wanted && selects(selector, m)) {
          await act(m);
          // Completed only after act succeeded: a failure leaves the message dead-lettered.
          await receiver.completeMessage(m);
          done.push(summarize(m));
        } else {
          skipped.push(m);
        }
      }
    }
    return done;
  } finally {
    for (const m of skipped) await receiver.abandonMessage(m);
    await receiver.close();
  }
}

/**
 * The copy that goes back to the entity. It gets a new message id: the original id is
 * likely still inside the entity's duplicate-detection window, which would silently drop
 * the copy. Handlers stay idempotent through the CloudEvent id in the body, which is kept.
 */
export function resubmittedCopy(m: ServiceBusReceivedMessage, at: Date): ServiceBusMessage {
  const original = String(m.messageId ?? "");
  const suffix = `:resubmit:${at.getTime().toString(36)}`;
  // The body is whatever the producer sent (JSON value, text or bytes); it is passed on as is.
  const body: unknown = m.body;
  return {
    body,
    contentType: m.contentType,
    correlationId: m.correlationId,
    subject: m.subject,
    messageId: original.slice(0, MAX_MESSAGE_ID - suffix.length) + suffix,
    sessionId: m.sessionId,
    partitionKey: m.partitionKey,
    replyTo: m.replyTo,
    to: m.to,
    applicationProperties: {
      ...Object.fromEntries(
        Object.entries(m.applicationProperties ?? {}).filter(
          ([key]) => !DEAD_LETTER_PROPERTIES.includes(key),
        ),
      ),
      resubmittedFromMessageId: original,
      resubmittedAt: at.toISOString(),
    },
  };
}

/**
 * Sends a copy of each selected dead-lettered message to the entity (a subscription's copy
 * goes to its topic, so every subscription whose rule matches receives it again), then
 * completes the dead-lettered original. Send-then-complete: a crash in between leaves a
 * duplicate, never a loss.
 */
export async function resubmitDeadLetters(
  client: ServiceBusClient,
  target: DeadLetterTarget,
  selector: DeadLetterSelector,
  options: ReceiveDeadLettersOptions = {},
  now: () => Date = () => new Date(),
): Promise<DeadLetterSummary[]> {
  const sender = client.createSender(target.entity);
  try {
    return await settleSelected(client, target, selector, options, async (m) => {
      await sender.sendMessages(resubmittedCopy(m, now()));
    });
  } finally {
    await sender.close();
  }
}

/** Completes (deletes) the selected dead-lettered messages. */
export async function purgeDeadLetters(
  client: ServiceBusClient,
  target: DeadLetterTarget,
  selector: DeadLetterSelector,
  options: ReceiveDeadLettersOptions = {},
): Promise<DeadLetterSummary[]> {
  return settleSelected(client, target, selector, options, () => Promise.resolve());
}

export { describeTarget };
