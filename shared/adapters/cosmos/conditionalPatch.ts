import type { Item, ItemDefinition, PatchOperation } from "@azure/cosmos";
import type { Versioned } from "../../ports/versioned";
import { isNotFound, isPreconditionFailed } from "./cosmosErrors";

/**
 * One patch that the store applies only if `condition` (a Cosmos filter predicate,
 * `FROM c WHERE …`) holds on the document when it applies it: the patched document, or why
 * nothing changed. Any other failure is thrown.
 */
export async function conditionalPatch<T extends ItemDefinition>(
  item: Item,
  condition: string,
  operations: PatchOperation[],
): Promise<Versioned<T> | "conditionFailed" | "absent"> {
  try {
    const { resource, etag } = await item.patch<T>({ condition, operations });
    return resource === undefined ? "absent" : { doc: resource, etag: etag ?? "" };
  } catch (error) {
    if (isNotFound(error)) return "absent";
    if (isPreconditionFailed(error)) return "conditionFailed";
    throw error;
  }
}
