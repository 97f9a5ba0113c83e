import { ListProductsQuerySchema, type Product, type ProductListResponse } from "../contracts";
import { availableOf, type CatalogRepository, type ProductRecord } from "../ports";
import type { ApiHandler } from "./http/apiTypes";
import { jsonResponse } from "./http/apiTypes";
import { validationProblem } from "./http/problems";
import { queryObject } from "./listOrders";

export interface ProductsDeps {
  readonly catalog: CatalogRepository;
}

export function productView(product: ProductRecord): Product {
  return {
    sku: product.sku,
    name: product.name,
    description: product.description,
    price: product.price,
    available: availableOf(product),
  };
}

/** GET /api/products: the catalog by SKU, keyset pages. */
export function createListProductsHandler(deps: ProductsDeps): ApiHandler {
  return async (request) => {
    const query = ListProductsQuerySchema.safeParse(
      queryObject(request, ["limit", "continuationToken"]),
    );
    if (!query.success) throw validationProblem(query.error, "query");
    const page = await deps.catalog.list(query.data.limit, query.data.continuationToken);
    const body: ProductListResponse = {
      items: page.products.map(productView),
      continuationToken: page.continuationToken,
    };
    return jsonResponse(200, body);
  };
}
