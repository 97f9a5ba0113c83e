import type { Container } from "@azure/cosmos";
import {
  ConcurrencyConflictError,
  type CatalogRepository,
  type ProductPage,
  type ProductRecord,
  type VersionedProduct,
} from "../../ports";
import { isConflict, isNotFound, isPreconditionFailed, isStorableId } from "./cosmosErrors";
import { decodePageToken, encodePageToken } from "./pageToken";
import type { ProductDocument } from "./productDocument";

export class CosmosCatalogRepository implements CatalogRepository {
  constructor(private readonly products: Container) {}

  async getMany(skus: readonly string[]): Promise<ReadonlyMap<string, ProductRecord>> {
    // Point reads, one per SKU partition, in parallel: at most 50, each the cheapest read there is.
    const found = await Promise.all(skus.map((sku) => this.get(sku)));
    return new Map(
      found.flatMap((entry) => (entry === undefined ? [] : [[entry.product.sku, entry.product]])),
    );
  }

  async get(sku: string): Promise<VersionedProduct | undefined> {
    if (!isStorableId(sku)) return undefined;
    try {
      const { resource, etag } = await this.products.item(sku, sku).read<ProductDocument>();
      return resource === undefined ? undefined : { product: recordOf(resource), etag };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async list(limit: number, continuationToken?: string): Promise<ProductPage> {
    const after =
      continuationToken === undefined ? undefined : decodePageToken("products", continuationToken);
    const top = Math.trunc(limit) + 1;
    // Cross-partition by nature (one partition per SKU); the catalog is small and read-mostly,
    // and APIM can cache this route. Orders never take this path.
    const query =
      after === undefined
        ? { query: `SELECT TOP ${top} * FROM c ORDER BY c.sku ASC`, parameters: [] }
        : {
            query: `SELECT TOP ${top} * FROM c WHERE c.sku > @after ORDER BY c.sku ASC`,
            parameters: [{ name: "@after", value: after }],
          };
    const { resources } = await this.products.items.query<ProductDocument>(query).fetchAll();
    const page = resources.slice(0, limit).map(recordOf);
    const last = page[page.length - 1];
    const hasMore = resources.length > limit && last !== undefined;
    return {
      products: page,
      continuationToken: hasMore ? encodePageToken("products", last.sku) : null,
    };
  }

  async setStock(sku: string, stock: number, etag: string): Promise<VersionedProduct> {
    const item = this.products.item(sku, sku);
    // Re-read for the fields this port does not carry (the worker's holds); the write is
    // still conditional on the ETag the caller decided on.
    const { resource } = await item.read<ProductDocument & { _etag?: string }>();
    if (resource === undefined || resource._etag !== etag) {
      throw new ConcurrencyConflictError(`product ${sku}`);
    }
    try {
      const { resource: written, etag: newEtag } = await item.replace<ProductDocument>(
        { ...resource, stock },
        { accessCondition: { type: "IfMatch", condition: etag } },
      );
      return { product: recordOf(written as ProductDocument), etag: newEtag };
    } catch (error) {
      if (isPreconditionFailed(error)) throw new ConcurrencyConflictError(`product ${sku}`);
      throw error;
    }
  }

  async seed(products: readonly ProductRecord[]): Promise<number> {
    let created = 0;
    for (const product of products) {
      // An empty `holds` from the start lets the first hold take the one-request patch path.
      const document: ProductDocument = { id: product.sku, ...product, holds: {} };
      try {
        await this.products.items.create(document);
        created += 1;
      } catch (error) {
        // Create-if-absent: an existing product keeps its live stock counters.
        if (!isConflict(error)) throw error;
      }
    }
    return created;
  }
}

function recordOf(document: ProductDocument): ProductRecord {
  return {
    sku: document.sku,
    name: document.name,
    description: document.description,
    price: document.price,
    stock: document.stock,
    reserved: document.reserved ?? 0,
    committed: document.committed ?? 0,
  };
}
