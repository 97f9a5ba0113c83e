import { CosmosCatalogRepository } from "../adapters/cosmos/cosmosCatalogRepository";
import type { WorkerTestbed } from "../workers/testing/workerTestbed";
import { seedProduct, startWorkerTestbed } from "../workers/testing/workerTestbed";
import { CachedCatalogPrices } from "./cachedCatalogPrices";

let bed: WorkerTestbed;
let catalog: CosmosCatalogRepository;
beforeAll(async () => {
  bed = await startWorkerTestbed();
  catalog = new CosmosCatalogRepository(bed.products);
});
afterAll(() => bed.close());

let sequence = 0;
async function productAt(amount: number): Promise<string> {
  const sku = `PRICE-${++sequence}`;
  await seedProduct(bed.products, sku, 5);
  await setPrice(sku, amount);
  return sku;
}

async function setPrice(sku: string, amount: number): Promise<void> {
  await bed.products
    .item(sku, sku)
    .patch([{ op: "set", path: "/price", value: { amount, currency: "USD" } }]);
}

describe("CachedCatalogPrices", () => {
  it("quotes a changed price only once the cached one is older than the bound", async () => {
    let now = 0;
    const prices = new CachedCatalogPrices(catalog, 30_000, () => now);
    const sku = await productAt(100);
    expect((await prices.getMany([sku])).get(sku)?.price.amount).toBe(100);
    await setPrice(sku, 250);
    now = 29_999;
    expect((await prices.getMany([sku])).get(sku)?.price.amount).toBe(100);
    now = 30_000;
    expect((await prices.getMany([sku])).get(sku)?.price.amount).toBe(250);
  });

  it("reads the catalog for every order when the bound is 0", async () => {
    const prices = new CachedCatalogPrices(catalog, 0, () => 0);
    const sku = await productAt(100);
    await prices.getMany([sku]);
    await setPrice(sku, 120);
    expect((await prices.getMany([sku])).get(sku)?.price.amount).toBe(120);
  });

  it("asks again for an unknown SKU, so a product added meanwhile is found at once", async () => {
    const prices = new CachedCatalogPrices(catalog, 30_000, () => 0);
    const sku = `PRICE-${++sequence}`;
    expect((await prices.getMany([sku])).has(sku)).toBe(false);
    await seedProduct(bed.products, sku, 1);
    expect((await prices.getMany([sku])).has(sku)).toBe(true);
  });

  it("answers a mix of cached and uncached SKUs with one entry each, and no stock", async () => {
    const prices = new CachedCatalogPrices(catalog, 30_000, () => 0);
    const [a, b] = [await productAt(10), await productAt(20)];
    await prices.getMany([a]);
    const both = await prices.getMany([a, b, "PRICE-none"]);
    expect([...both.keys()].sort()).toEqual([a, b].sort());
    expect(both.get(b)).toEqual({
      sku: b,
      name: `Product ${b}`,
      price: { amount: 20, currency: "USD" },
    });
  });
});
