/**
 * A received Service Bus message as the Functions Service Bus extension hands it to a Node
 * worker: the body as RPC typed data (UTF-8 text: `json` when it parses as JSON, else
 * `string`; other bytes: `bytes`) and the trigger metadata under the extension's names
 * (MessageId, DeliveryCount, …), which `@azure/functions` camel-cases for the handler.
 */
import { randomUUID } from "node:crypto";
import type { ServiceBusReceivedMessage } from "@azure/service-bus";
import type { RpcTypedDataLike } from "./plugin";

function bodyText(body: unknown): { text?: string; bytes?: Buffer; value?: unknown } {
  if (Buffer.isBuffer(body)) {
    const text = body.toString("utf8");
    // Bytes that do not survive a UTF-8 round trip are binary: hand them over as bytes.
    return Buffer.from(text, "utf8").equals(body) ? { text } : { bytes: body };
  }
  if (body instanceof Uint8Array) return bodyText(Buffer.from(body));
  if (typeof body === "string") return { text: body };
  return { value: body };
}

export function toRpcBody(body: unknown): RpcTypedDataLike {
  const { text, bytes, value } = bodyText(body);
  if (bytes) return { bytes };
  if (text !== undefined) {
    try {
      JSON.parse(text);
      return { json: text };
    } catch {
      return { string: text };
    }
  }
  if (value === undefined || value === null) return { string: "" };
  return { json: JSON.stringify(value) };
}

function iso(date: Date | undefined): string | undefined {
  return date ? date.toISOString() : undefined;
}

/** The extension's single-message binding data (ServiceBusTriggerInput). */
export function messageMetadata(message: ServiceBusReceivedMessage): Record<string, unknown> {
  const expires = iso(message.expiresAtUtc);
  const enqueued = iso(message.enqueuedTimeUtc);
  return {
    MessageId: message.messageId === undefined ? undefined : String(message.messageId),
    // The JS client reports the AMQP header's delivery-count (prior attempts, 0 on the first
    // delivery); the extension is .NET, whose DeliveryCount is that plus one (1 on the first).
    DeliveryCount: (message.deliveryCount ?? 0) + 1,
    CorrelationId: message.correlationId === undefined ? undefined : String(message.correlationId),
    ContentType: message.contentType,
    Subject: message.subject,
    Label: message.subject,
    To: message.to,
    ReplyTo: message.replyTo,
    ReplyToSessionId: message.replyToSessionId,
    SessionId: message.sessionId,
    PartitionKey: message.partitionKey,
    SequenceNumber:
      message.sequenceNumber === undefined ? undefined : Number(message.sequenceNumber.toString()),
    EnqueuedTimeUtc: enqueued,
    EnqueuedTime: enqueued,
    ExpiresAtUtc: expires,
    ExpiresAt: expires,
    LockToken: message.lockToken,
    DeadLetterSource: message.deadLetterSource,
    ApplicationProperties: { ...(message.applicationProperties ?? {}) },
    UserProperties: { ...(message.applicationProperties ?? {}) },
  };
}

export function toRpcValue(value: unknown): RpcTypedDataLike | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return { string: value };
  if (typeof value === "number")
    return Number.isInteger(value) ? { int: value } : { double: value };
  return { json: JSON.stringify(value) };
}

/** `sys` metadata every trigger carries (MethodName, UtcNow, RandGuid). */
export function sysMetadata(functionName: string): RpcTypedDataLike {
  return {
    json: JSON.stringify({
      MethodName: functionName,
      UtcNow: new Date().toISOString(),
      RandGuid: randomUUID(),
    }),
  };
}

export function toRpcMetadata(
  fields: Record<string, unknown>,
  functionName: string,
): Record<string, RpcTypedDataLike> {
  const result: Record<string, RpcTypedDataLike> = {};
  for (const [key, value] of Object.entries(fields)) {
    const data = toRpcValue(value);
    if (data) result[key] = data;
  }
  result.sys = sysMetadata(functionName);
  return result;
}

/** Batch (`cardinality: many`) metadata: each field as an array, named `<Field>Array`. */
export function batchMetadata(
  messages: readonly ServiceBusReceivedMessage[],
): Record<string, unknown> {
  const perMessage = messages.map(messageMetadata);
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(perMessage[0] ?? {})) {
    result[`${key}Array`] = perMessage.map((m) => m[key] ?? null);
  }
  return result;
}
