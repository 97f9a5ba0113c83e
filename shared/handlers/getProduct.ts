import { SkuParamsSchema } from "../contracts";
import type { ApiHandler } from "./http/apiTypes";
import { jsonResponse } from "./http/apiTypes";
import { problem } from "./http/problems";
import { productView, type ProductsDeps } from "./listProducts";

/** GET /api/products/{sku}: one product, or 404 (also for a SKU that cannot exist). */
export function createGetProductHandler(deps: ProductsDeps): ApiHandler {
  return async (request) => {
    const params = SkuParamsSchema.safeParse(request.params);
    const found = params.success ? await deps.catalog.get(params.data.sku) : undefined;
    if (found === undefined) throw problem(404, "No such product.");
    return jsonResponse(200, productView(found.product), { ETag: found.etag });
  };
}
