import { BrokerError, conditions } from "./brokerError";
import { uuidBytesToString } from "./lockToken";

/** A $management request or response body (an AMQP map). */
export type Body = Record<string, unknown>;

/** AMQP longs arrive as numbers, or as 8-byte buffers when beyond 2^53. */
export function toNumber(v: unknown): number {
  if (typeof v === "number") return v;
  if (Buffer.isBuffer(v) && v.length === 8) return Number(v.readBigInt64BE());
  if (typeof v === "bigint") return Number(v);
  throw new BrokerError(conditions.argumentError, `expected a number, got ${String(v)}`);
}

/** Elements of an AMQP array of longs are written from 8-byte big-endian buffers. */
export function longBytes(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
}

export function toArray(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v === undefined || v === null) return [];
  return [v];
}

export function lockTokens(body: Body): string[] {
  return toArray(body["lock-tokens"]).map((t) =>
    Buffer.isBuffer(t) ? uuidBytesToString(t) : String(t),
  );
}

/** A string field of a request, or undefined when absent or null. */
export function optionalString(body: Body, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  throw new BrokerError(conditions.argumentError, `${key}: expected a string.`, 400);
}

export function requiredString(body: Body, key: string): string {
  const v = optionalString(body, key);
  if (v === undefined) throw new BrokerError(conditions.argumentError, `${key} is required.`, 400);
  return v;
}
