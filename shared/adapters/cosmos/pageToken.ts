import { z } from "zod";
import { InvalidContinuationTokenError } from "../../ports/orderRepository";

/**
 * Keyset paging tokens: the sort key of the last item returned, as base64url JSON. Every page
 * is a fresh query "after this key", so the token does not depend on the SDK's own
 * continuation format (which differs between the service and the local server), and a
 * token is validated strictly: anything that does not decode to exactly this shape is
 * refused (400), never passed to the store. A forged but well-formed token only moves the
 * caller's cursor inside data the query already restricts to them, and its value is bound
 * as a query parameter, never spliced into the query text.
 */
const TokenSchema = z.strictObject({ v: z.literal(1), after: z.string().min(1).max(512) });

export function encodePageToken(after: string): string {
  return Buffer.from(JSON.stringify({ v: 1, after }), "utf8").toString("base64url");
}

export function decodePageToken(token: string): string {
  if (!/^[A-Za-z0-9_-]{1,1024}$/.test(token)) throw new InvalidContinuationTokenError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw new InvalidContinuationTokenError();
  }
  const result = TokenSchema.safeParse(parsed);
  if (!result.success) throw new InvalidContinuationTokenError();
  // Reject non-canonical encodings (extra padding bits, reordered keys) of the same value.
  if (encodePageToken(result.data.after) !== token) throw new InvalidContinuationTokenError();
  return result.data.after;
}
