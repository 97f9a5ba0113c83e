/** HTTP status of an `@azure/cosmos` error (its `code`), or undefined for other errors. */
export function cosmosStatus(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (typeof code === "number") return code;
  return typeof statusCode === "number" ? statusCode : undefined;
}

export const isNotFound = (error: unknown): boolean => cosmosStatus(error) === 404;
export const isConflict = (error: unknown): boolean => cosmosStatus(error) === 409;
export const isPreconditionFailed = (error: unknown): boolean => cosmosStatus(error) === 412;

/**
 * Answers the store gives when it is busy or briefly unavailable: request timeout (408),
 * throttled (429), "retry with" (449, a write raced another on the same item) and service
 * unavailable (503). Cosmos DB's guidance is to retry them after a pause.
 */
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([408, 429, 449, 503]);

/**
 * Failures below HTTP that the SDK gave up on after its own retries: its request timeout
 * (`TimeoutError`) and the socket errors core-rest-pipeline reports as a `RestError` code.
 * ENOTFOUND is left out on purpose: a name that does not resolve is a wrong endpoint, not a
 * passing fault.
 */
const TRANSIENT_TRANSPORT_CODES: ReadonlySet<string> = new Set([
  "TimeoutError",
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
]);

/** The store could not serve the request now, and the same request may well succeed soon. */
export function isTransientStoreError(error: unknown): boolean {
  const status = cosmosStatus(error);
  if (status !== undefined) return TRANSIENT_STATUSES.has(status);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && TRANSIENT_TRANSPORT_CODES.has(code);
}

/**
 * Cosmos DB refuses ids containing '/', '\\', '?' or '#', and route parameters may carry
 * them percent-encoded; such an id cannot name a stored document, so lookups answer
 * "absent" instead of sending a request the service would reject.
 */
export function isStorableId(id: string): boolean {
  return id.length > 0 && id.length <= 255 && !/[/\\?#]/.test(id);
}
