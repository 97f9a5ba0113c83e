import type { CatalogPrice, Money } from "../domain";

/** A product with its stock counters (products container, one partition per SKU). */
export interface ProductRecord {
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly price: Money;
  readonly stock: number;
  readonly reserved: number;
  readonly committed: number;
}

export interface VersionedProduct {
  readonly product: ProductRecord;
  readonly etag: string;
}

export interface ProductPage {
  readonly products: readonly ProductRecord[];
  readonly continuationToken: string | null;
}

/** What pricing an order reads from the catalog: each SKU's name and price, no stock. */
export interface CatalogPrices {
  /** Absent SKUs are missing from the map. */
  getMany(skus: readonly string[]): Promise<ReadonlyMap<string, CatalogPrice>>;
}

export interface CatalogRepository {
  /** Point reads of each SKU; absent SKUs are missing from the map. */
  getMany(skus: readonly string[]): Promise<ReadonlyMap<string, ProductRecord>>;
  get(sku: string): Promise<VersionedProduct | undefined>;
  /** Ordered by SKU. Throws InvalidContinuationTokenError for a token it did not issue. */
  list(limit: number, continuationToken?: string): Promise<ProductPage>;
  /** Sets on-hand stock, conditional on `etag`; throws ConcurrencyConflictError on a change. */
  setStock(sku: string, stock: number, etag: string): Promise<VersionedProduct>;
  /** Creates each product that does not exist yet; existing ones are left untouched. Returns how many were created. */
  seed(products: readonly ProductRecord[]): Promise<number>;
}

/** `available` of the API: what can still be reserved. */
export function availableOf(product: ProductRecord): number {
  return Math.max(0, product.stock - product.reserved - product.committed);
}
