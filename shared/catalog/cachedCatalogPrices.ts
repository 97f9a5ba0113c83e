import type { CatalogPrice } from "../domain";
import type { CatalogPrices } from "../ports/catalogRepository";

interface CachedPrice {
  readonly price: CatalogPrice;
  readonly readAt: number;
}

/**
 * Catalog prices kept per process for at most `maxAgeInMs` (CATALOG_PRICE_CACHE_SECONDS), so
 * placing an order does not read each product again: a price the catalog changes is quoted
 * at most that long after the change, and the order stores the price it was quoted, so what
 * is charged is always what the 202 said. Only products found are kept: an unknown SKU is
 * asked again each time (it is the error path, and a product seeded meanwhile is seen at
 * once). Stock counters are not part of a price, so nothing here decides what can be sold.
 * The entries are bounded by the catalog's size, since only stored SKUs are kept.
 */
export class CachedCatalogPrices implements CatalogPrices {
  private readonly prices = new Map<string, CachedPrice>();

  constructor(
    private readonly source: CatalogPrices,
    private readonly maxAgeInMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async getMany(skus: readonly string[]): Promise<ReadonlyMap<string, CatalogPrice>> {
    const at = this.now();
    const found = new Map<string, CatalogPrice>();
    const missing: string[] = [];
    for (const sku of skus) {
      const cached = this.prices.get(sku);
      if (cached !== undefined && at - cached.readAt < this.maxAgeInMs)
        found.set(sku, cached.price);
      else missing.push(sku);
    }
    if (missing.length === 0) return found;
    const read = await this.source.getMany(missing);
    for (const sku of missing) if (!read.has(sku)) this.prices.delete(sku);
    for (const [sku, product] of read) {
      const price: CatalogPrice = { sku: product.sku, name: product.name, price: product.price };
      if (this.maxAgeInMs > 0) this.prices.set(sku, { price, readAt: at });
      found.set(sku, price);
    }
    return found;
  }
}
