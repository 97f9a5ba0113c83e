import rhea, { type Message } from "rhea";

/** Service Bus Standard's limit; bigger messages are refused with message-size-exceeded. */
export const MAX_MESSAGE_SIZE = 256 * 1024;
/** The format code the SDK gives a ServiceBusMessageBatch (data sections of encoded messages). */
export const BATCH_FORMAT = 0x80013700;

/** Payload bytes of a message body, to enforce the size limit without re-encoding. */
export function bodyLength(body: unknown): number {
  if (Buffer.isBuffer(body)) return body.length;
  if (typeof body === "string") return Buffer.byteLength(body);
  const content = (body as { content?: unknown } | undefined)?.content;
  if (Buffer.isBuffer(content)) return content.length;
  if (Array.isArray(content)) return content.reduce((n: number, c) => n + bodyLength(c), 0);
  return 0;
}

/** The data sections of a batch, each one an encoded message. */
export function unpackBatch(payload: Buffer): Message[] {
  const outer = rhea.message.decode(payload);
  const body = outer.body as { content?: unknown; multiple?: boolean } | undefined;
  const sections = body?.multiple ? (body.content as Buffer[]) : [body?.content as Buffer];
  return sections
    .filter((b) => Buffer.isBuffer(b))
    .map((b) => rhea.message.decode(b) as unknown as Message);
}

export function scheduledTime(m: Message): number | undefined {
  const t: unknown = m.message_annotations?.["x-opt-scheduled-enqueue-time"];
  if (t instanceof Date) return t.getTime();
  if (typeof t === "number") return t;
  return undefined;
}

/** Pre-.NET-epoch ticks, as the service writes com.microsoft:locked-until-utc. */
