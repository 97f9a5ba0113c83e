import { z } from "zod";

/**
 * The CloudEvents 1.0 JSON envelope every message shares (docs/messages.md). Extension
 * attributes are lower-case alphanumerics as the spec requires: `correlationid` ties all
 * messages of one order's flow together (by convention the id of the OrderPlaced event),
 * `causationid` is the id of the message (or HTTP request) that caused this one, and
 * `traceparent` (W3C Trace Context, CloudEvents distributed-tracing extension) carries
 * the trace across Service Bus.
 */
export const CloudEventAttributesSchema = z.object({
  specversion: z.literal("1.0"),
  // Service Bus limits messageId, which carries this id, to 128 characters.
  id: z.string().min(1).max(128),
  type: z.string().min(1),
  source: z.string().min(1),
  /** The orderId; every message in this system is about one order. */
  subject: z.string().min(1).max(100),
  time: z.iso.datetime({ offset: true }),
  datacontenttype: z.literal("application/json"),
  correlationid: z.string().min(1).max(128),
  causationid: z.string().min(1).max(128),
  traceparent: z
    .string()
    .regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/, "must be a W3C traceparent")
    .optional(),
});
export type CloudEventAttributes = z.infer<typeof CloudEventAttributesSchema>;

/** Every payload names its order; the envelope's `subject` must be that same id. */
export type OrderPayloadSchema = z.ZodType<{ orderId: string }>;

/** The schema of one message type: the envelope with a literal `type` and a typed `data`. */
export function cloudEvent<const T extends string, D extends OrderPayloadSchema>(type: T, data: D) {
  return CloudEventAttributesSchema.extend({ type: z.literal(type), data }).refine(
    // `data` is typed by the generic D here; its orderId is guaranteed by the constraint.
    (event) => event.subject === (event as { data: { orderId: string } }).data.orderId,
    { message: "must equal data.orderId", path: ["subject"] },
  );
}
export type CloudEventSchema<T extends string, D extends OrderPayloadSchema> = ReturnType<
  typeof cloudEvent<T, D>
>;

/** Envelope attributes the caller supplies; no clock or random source hides in here. */
export interface EnvelopeMeta {
  readonly id: string;
  readonly time: Date | string;
  readonly source: string;
  readonly correlationid: string;
  readonly causationid: string;
  readonly traceparent?: string;
}

/** The causal attributes of a message sent because of `cause`: same flow, same trace. */
export function causedBy(
  cause: Pick<CloudEventAttributes, "id" | "correlationid" | "traceparent">,
): Pick<EnvelopeMeta, "correlationid" | "causationid" | "traceparent"> {
  return {
    correlationid: cause.correlationid,
    causationid: cause.id,
    ...(cause.traceparent === undefined ? {} : { traceparent: cause.traceparent }),
  };
}

/**
 * Builds and validates a message: `subject` is taken from `data.orderId`, `type` from the
 * schema. Throws a ZodError if the result does not satisfy the schema, so an invalid
 * message is never sent.
 */
export function newEnvelope<T extends string, D extends OrderPayloadSchema>(
  schema: CloudEventSchema<T, D>,
  meta: EnvelopeMeta,
  data: z.input<D>,
): z.output<CloudEventSchema<T, D>> {
  const time = typeof meta.time === "string" ? meta.time : meta.time.toISOString();
  const type = schema.shape.type.value;
  return schema.parse({
    specversion: "1.0",
    id: meta.id,
    type,
    source: meta.source,
    subject: (data as { orderId: string }).orderId,
    time,
    datacontenttype: "application/json",
    correlationid: meta.correlationid,
    causationid: meta.causationid,
    ...(meta.traceparent === undefined ? {} : { traceparent: meta.traceparent }),
    data,
  });
}
