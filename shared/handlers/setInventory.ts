import {
  PROBLEM_TYPES,
  SetInventoryRequestSchema,
  SkuParamsSchema,
  type InventoryLevel,
} from "../contracts";
import { ConcurrencyConflictError, availableOf, type CatalogRepository } from "../ports";
import type { ApiHandler } from "./http/apiTypes";
import { jsonResponse } from "./http/apiTypes";
import { requireAdmin } from "./http/identity";
import { problem } from "./http/problems";
import { readJsonBody } from "./http/readJsonBody";

export interface SetInventoryDeps {
  readonly catalog: CatalogRepository;
  /** ETag conflicts (a reservation landing between read and write) retried before 409. */
  readonly maxAttempts?: number;
}

/**
 * PUT /api/inventory/{sku} (admin): sets on-hand stock. Refused with 422 below what is
 * reserved + committed, since that would oversell; the check and the write are tied by the
 * product's ETag, so a reservation that lands in between makes the write retry on fresh
 * counters instead of slipping under the invariant.
 */
export function createSetInventoryHandler(deps: SetInventoryDeps): ApiHandler {
  const maxAttempts = deps.maxAttempts ?? 5;
  return async (request) => {
    requireAdmin(request);
    const params = SkuParamsSchema.safeParse(request.params);
    const { stock } = await readJsonBody(request, SetInventoryRequestSchema);
    for (let attempt = 1; ; attempt++) {
      const found = params.success ? await deps.catalog.get(params.data.sku) : undefined;
      if (found === undefined) throw problem(404, "No such product.");
      const { product } = found;
      const held = product.reserved + product.committed;
      if (stock < held) {
        throw problem(
          422,
          `Stock ${stock} is below the ${held} units reserved or committed for orders.`,
          PROBLEM_TYPES.insufficientStock,
        );
      }
      try {
        const written = await deps.catalog.setStock(product.sku, stock, found.etag);
        const body: InventoryLevel = {
          sku: written.product.sku,
          stock: written.product.stock,
          reserved: written.product.reserved,
          committed: written.product.committed,
          available: availableOf(written.product),
        };
        return jsonResponse(200, body, { ETag: written.etag });
      } catch (error) {
        if (error instanceof ConcurrencyConflictError && attempt < maxAttempts) continue;
        throw error;
      }
    }
  };
}
