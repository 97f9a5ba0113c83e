import { z } from "zod";

/** A catalog SKU: also a path segment, so no slashes or spaces. */
export const SkuSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "must be letters, digits, '.', '_' or '-'");

/** An order id as the API hands it out (a UUID today; only its bounds are promised). */
export const OrderIdSchema = z.string().min(1).max(100);

/** An opaque paging token; clients pass it back unchanged. */
export const ContinuationTokenSchema = z.string().min(1).max(4096);

/** `limit` of a list request: 1–100, default 20. Query strings are text, hence the coercion. */
const PAGE_LIMIT_MESSAGE = "must be a whole number from 1 to 100";
export const PageLimitSchema = z.coerce
  .number({ error: PAGE_LIMIT_MESSAGE })
  .int(PAGE_LIMIT_MESSAGE)
  .min(1, PAGE_LIMIT_MESSAGE)
  .max(100, PAGE_LIMIT_MESSAGE)
  .default(20);

/** Header names of docs/http-api.md "Identity" and "Orders"; HTTP header lookup is case-insensitive. */
export const HEADERS = {
  idempotencyKey: "Idempotency-Key",
  customerId: "X-Customer-Id",
  roles: "X-Roles",
} as const;

/**
 * Headers that carry exactly one value. HTTP lets a recipient join a repeated field's values
 * into one, separated by commas (RFC 9110 §5.2-5.3), and both Functions hosts do so before
 * the app sees the request (docs/http-api.md "Repeated headers"); none of these values may
 * hold a comma, so one there means the header was sent more than once. `X-Roles` is not
 * among them: it is a comma-separated list, where repeating it means the same list.
 */
export const SINGLE_VALUE_HEADERS = [
  HEADERS.customerId,
  HEADERS.idempotencyKey,
  "Content-Type",
] as const;

/**
 * Whether a single-value header's value shows repetition: a comma outside a quoted string
 * (a media type's parameter may quote one: `charset="x,y"`; the other headers have no
 * quoting, so their quotes are ordinary characters and any comma counts).
 */
export function isRepeatedHeaderValue(name: string, value: string): boolean {
  const unquoted =
    name.toLowerCase() === "content-type" ? value.replace(/"(?:[^"\\]|\\.)*"/g, "") : value;
  return unquoted.includes(",");
}

/**
 * The correlation id header API Management sets (or passes on from the caller) on every
 * request; the API takes it into the OrderPlaced envelope's `correlationid` and echoes it.
 * It lives here rather than in infra so the API does not depend on the deployment code.
 */
export const CORRELATION_ID_HEADER = "x-correlation-id";

/** W3C Trace Context header (https://www.w3.org/TR/trace-context/#traceparent-header). */
export const TRACEPARENT_HEADER = "traceparent";

/** A caller's correlation id: 1–128 printable ASCII characters, the envelope's own bound. */
export const CorrelationIdSchema = z.string().regex(/^[\x20-\x7E]{1,128}$/);

/**
 * A `traceparent` this API propagates: version 00's shape, lower-case hex, and neither the
 * version ff nor an all-zero trace or parent id, which the spec says to ignore.
 */
export const TraceparentSchema = z
  .string()
  .regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/)
  .refine((value) => {
    const [version, traceId, parentId] = value.split("-");
    return version !== "ff" && !/^0+$/.test(traceId ?? "") && !/^0+$/.test(parentId ?? "");
  });

/** The role that makes a caller an operator (docs/http-api.md "Identity"). */
export const ADMIN_ROLE = "admin";

/**
 * `Idempotency-Key`: 1–100 printable ASCII characters (0x20–0x7E). Anything else, such as
 * control or non-ASCII characters, is refused rather than normalised, so two keys are
 * equal exactly when their bytes are.
 */
export const IdempotencyKeySchema = z
  .string()
  .regex(/^[\x20-\x7E]{1,100}$/, "must be 1 to 100 printable ASCII characters");

/** `X-Customer-Id`: set by APIM from the token subject (or by the caller locally). */
export const CustomerIdSchema = z.string().trim().min(1).max(128);

/** `X-Roles`: comma-separated app roles, e.g. "admin". Blank entries are dropped. */
export const RolesHeaderSchema = z
  .string()
  .max(1024)
  .transform((value) =>
    value
      .split(",")
      .map((role) => role.trim())
      .filter((role) => role.length > 0),
  );

/** Whether an `X-Roles` header value grants the admin role. */
export function hasAdminRole(rolesHeader: string | undefined): boolean {
  if (rolesHeader === undefined) return false;
  const roles = RolesHeaderSchema.safeParse(rolesHeader);
  return roles.success && roles.data.includes(ADMIN_ROLE);
}
