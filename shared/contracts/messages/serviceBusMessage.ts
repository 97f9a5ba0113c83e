import type { ServiceBusMessage } from "@azure/service-bus";
import type { z } from "zod";
import type { CloudEventAttributes } from "./envelope";

/**
 * The mapping between an envelope and a Service Bus message (docs/messages.md):
 * `messageId = id` so Service Bus duplicate detection drops a re-sent message,
 * `correlationId = subject` (the orderId), `subject = type` and
 * `applicationProperties.type = type` so subscription rules and dashboards can filter
 * without reading the body; the envelope's traceparent also goes in `Diagnostic-Id` and
 * `traceparent`. The body is the whole envelope (CloudEvents structured mode). Pure functions: no SDK client is involved.
 */
export const ENVELOPE_CONTENT_TYPE = "application/json";

export function toServiceBusMessage(
  envelope: CloudEventAttributes & { data: unknown },
): ServiceBusMessage {
  return {
    body: envelope,
    messageId: envelope.id,
    correlationId: envelope.subject,
    subject: envelope.type,
    // application/json rather than application/cloudevents+json: the Functions Service Bus
    // trigger hands JSON bodies to the handler parsed, and the envelope is plain JSON.
    contentType: ENVELOPE_CONTENT_TYPE,
    applicationProperties: {
      type: envelope.type,
      // Diagnostic-Id is where the Service Bus SDKs and the Functions host look for the
      // sender's trace (W3C traceparent format); traceparent is the CloudEvents name.
      ...(envelope.traceparent === undefined
        ? {}
        : { "Diagnostic-Id": envelope.traceparent, traceparent: envelope.traceparent }),
    },
  };
}

/** The received body as SDKs and triggers hand it over: parsed JSON, text or bytes. */
export type ReceivedBody = unknown;

export type ParsedMessage<T> =
  { readonly ok: true; readonly message: T } | { readonly ok: false; readonly reason: string };

function decodeBody(body: ReceivedBody): unknown {
  if (typeof body === "string") return JSON.parse(body);
  if (body instanceof Uint8Array) return JSON.parse(Buffer.from(body).toString("utf8"));
  return body;
}

/**
 * Validates a received body against a message schema. A failure is returned, not thrown,
 * with a reason fit for a dead-letter description (docs/messages.md, "Validation and
 * dead-lettering").
 */
export function parseMessageBody<S extends z.ZodType>(
  schema: S,
  body: ReceivedBody,
): ParsedMessage<z.output<S>> {
  let decoded: unknown;
  try {
    decoded = decodeBody(body);
  } catch (error) {
    return {
      ok: false,
      reason: `body is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const result = schema.safeParse(decoded);
  if (result.success) return { ok: true, message: result.data };
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`,
  );
  return { ok: false, reason: `invalid message: ${problems.join("; ")}` };
}

/** A received Service Bus message, reduced to what the mapping reads. */
export interface ReceivedServiceBusMessage {
  readonly body: ReceivedBody;
  readonly messageId?: unknown;
}

/**
 * {@link parseMessageBody}, plus the check that the broker's messageId is the envelope id,
 * which duplicate detection depends on.
 */
export function fromServiceBusMessage<S extends z.ZodType<CloudEventAttributes>>(
  schema: S,
  message: ReceivedServiceBusMessage,
): ParsedMessage<z.output<S>> {
  const parsed = parseMessageBody(schema, message.body);
  if (parsed.ok && message.messageId !== undefined && message.messageId !== parsed.message.id) {
    return {
      ok: false,
      reason: `messageId ${JSON.stringify(message.messageId)} differs from envelope id ${parsed.message.id}`,
    };
  }
  return parsed;
}
