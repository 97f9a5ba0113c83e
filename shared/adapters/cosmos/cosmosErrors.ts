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
 * Cosmos DB refuses ids containing '/', '\\', '?' or '#', and route parameters may carry
 * them percent-encoded; such an id cannot name a stored document, so lookups answer
 * "absent" instead of sending a request the service would reject.
 */
export function isStorableId(id: string): boolean {
  return id.length > 0 && id.length <= 255 && !/[/\\?#]/.test(id);
}
