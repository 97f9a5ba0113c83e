import { z } from "zod";
import { OrderIdSchema, SkuSchema } from "../../contracts/http/common";
import { InvalidContinuationTokenError } from "../../ports/orderRepository";

/**
 * Keyset paging tokens: the sort key of the last item returned, as base64url JSON. Every page
 * is a fresh query "after this key", so the token does not depend on the SDK's own
 * continuation format (which differs between the service and the local server), and a
 * token is validated strictly: anything that does not decode to exactly this shape is
 * refused (400), never passed to the store. A forged but well-formed token only moves the
 * caller's cursor inside data the query already restricts to them, and its value is bound
 * as a query parameter, never spliced into the query text.
 *
 * `k` binds a token to the list that issued it, and `after` must have that list's sort-key
 * shape, so one list's token is refused by the other instead of silently paging from an
 * unrelated key.
 */
export type PageTokenKind = "orders" | "products";

/** `createdAt|orderId`: an ISO timestamp (as the domain stores it) and an order id. */
const OrderSortKeySchema = z.string().refine((key) => {
  const separator = key.indexOf("|");
  if (separator < 0) return false;
  return (
    z.iso.datetime({ offset: true }).safeParse(key.slice(0, separator)).success &&
    OrderIdSchema.safeParse(key.slice(separator + 1)).success
  );
});

const SORT_KEYS: Record<PageTokenKind, z.ZodType<string>> = {
  orders: OrderSortKeySchema,
  products: SkuSchema,
};

const TokenSchema = z.strictObject({
  v: z.literal(1),
  k: z.enum(["orders", "products"]),
  after: z.string().min(1).max(512),
});

export function encodePageToken(kind: PageTokenKind, after: string): string {
  return Buffer.from(JSON.stringify({ v: 1, k: kind, after }), "utf8").toString("base64url");
}

export function decodePageToken(kind: PageTokenKind, token: string): string {
  if (!/^[A-Za-z0-9_-]{1,1024}$/.test(token)) throw new InvalidContinuationTokenError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw new InvalidContinuationTokenError();
  }
  const result = TokenSchema.safeParse(parsed);
  if (!result.success || result.data.k !== kind) throw new InvalidContinuationTokenError();
  if (!SORT_KEYS[kind].safeParse(result.data.after).success) {
    throw new InvalidContinuationTokenError();
  }
  // Reject non-canonical encodings (extra padding bits, reordered keys) of the same value.
  if (encodePageToken(kind, result.data.after) !== token) throw new InvalidContinuationTokenError();
  return result.data.after;
}
