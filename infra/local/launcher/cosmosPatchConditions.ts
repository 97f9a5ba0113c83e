/**
 * A fix for the conditional patch of `@vercel/cosmosdb-server` 1.0 (Cosmos DB's
 * `filterPredicate`, e.g. `FROM c WHERE c.status IN ('Pending', 'InventoryReserved')`).
 *
 * The server lower-cases the whole predicate before evaluating it, so a string literal such as
 * `'Pending'`, or a property such as `c.customerId`, never matches what is stored; and it
 * evaluates the predicate as a query over every document of the container. Azure evaluates
 * it, case intact, against the one document being patched. So does this wrapper: it decides
 * the condition on that document, then hands the patch to the server's own code without it.
 * Anything it does not recognise (no condition, a missing document, a stale If-Match, a
 * predicate in another form) goes to the server unchanged, which answers as before.
 */
import query from "@zeit/cosmosdb-query";
// The handler module the server's patch route calls through its exports object, so a
// replaced export is what the route calls.
import * as patchOperations from "@vercel/cosmosdb-server/lib/handler/_patch-operations";
import { parsePartitionKey } from "@vercel/cosmosdb-server/lib/utils/get-partition-from-header";

type PatchOperation = typeof patchOperations.patchOperation;
type PatchInput = Parameters<PatchOperation>[1];

const FIXED = Symbol.for("order-processing.cosmosPatchConditions");
const PREDICATE = /^\s*from\s+(\w+)\s+where\s+([\s\S]+)$/i;

/** Parsed predicates by text: a service patches with the same few conditions over and over. */
const parsed = new Map<string, ReturnType<typeof query>>();
const MAX_PARSED = 1_000;

function compiled(sql: string): ReturnType<typeof query> {
  let found = parsed.get(sql);
  if (found === undefined) {
    if (parsed.size >= MAX_PARSED) parsed.clear();
    found = query(sql);
    parsed.set(sql, found);
  }
  return found;
}

/** Installs the fix once per loaded copy of the server (a jest worker may load several). */
export function fixCosmosPatchConditions(): void {
  const target = patchOperations as unknown as Record<PropertyKey, unknown>;
  if (target[FIXED]) return;
  const serverPatch = patchOperations.patchOperation;
  const fixed: PatchOperation = (collection, input: PatchInput) => {
    const match = typeof input.condition === "string" ? PREDICATE.exec(input.condition) : null;
    if (match === null || input.partitionKey === undefined) return serverPatch(collection, input);
    const document = collection
      .document(input.id, parsePartitionKey(input.partitionKey, input.id))
      .read() as { _etag?: string } | undefined;
    if (document === undefined || (input.ifMatch && input.ifMatch !== document._etag)) {
      return serverPatch(collection, input);
    }
    let holds: boolean;
    try {
      const [alias, where] = [match[1], match[2]];
      const { result } = compiled(`SELECT * FROM ${alias} WHERE ${where}`).exec([document]) as {
        result: unknown[];
      };
      holds = result.length > 0;
    } catch {
      return {
        statusCode: 400,
        body: { code: "BadRequest", message: "Invalid condition in patch request." },
      };
    }
    if (!holds) {
      return {
        statusCode: 412,
        body: {
          code: "PreconditionFailed",
          message: "Condition specified in the patch request is not satisfied.",
        },
      };
    }
    return serverPatch(collection, { ...input, condition: undefined });
  };
  Object.defineProperty(target, "patchOperation", {
    value: fixed,
    writable: true,
    enumerable: true,
  });
  target[FIXED] = true;
}
