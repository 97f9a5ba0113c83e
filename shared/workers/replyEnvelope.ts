import { createHash } from "node:crypto";
import type {
  CloudEventAttributes,
  CloudEventSchema,
  OrderPayloadSchema,
} from "../contracts/messages/envelope";
import { causedBy, newEnvelope } from "../contracts/messages/envelope";
import type { z } from "zod";

/**
 * A message caused by `cause`: same correlation and trace, causation = the cause's id, and
 * an id derived from the cause's id, so a redelivered command yields the same reply id and
 * duplicate detection drops the second one.
 */
export function replyTo<T extends string, D extends OrderPayloadSchema>(
  cause: Pick<CloudEventAttributes, "id" | "correlationid" | "traceparent">,
  schema: CloudEventSchema<T, D>,
  data: z.input<D>,
  meta: { readonly source: string; readonly now: Date },
): z.output<CloudEventSchema<T, D>> {
  const type = schema.shape.type.value;
  return newEnvelope(
    schema,
    { id: derivedId(cause.id, type), time: meta.now, source: meta.source, ...causedBy(cause) },
    data,
  );
}

/** `<causeId>/<type>`, hashed when it would pass Service Bus's 128-character messageId limit. */
export function derivedId(causeId: string, type: string): string {
  const id = `${causeId}/${type}`;
  return id.length <= 128 ? id : createHash("sha256").update(id).digest("hex");
}
