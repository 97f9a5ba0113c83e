import { CATALOG_SIZE, catalogProduct, catalogSeed } from "./catalogSeed";

describe("catalogSeed", () => {
  it("has at least 100 distinct products with varied USD prices, some out of stock", () => {
    const products = catalogSeed();
    expect(products.length).toBeGreaterThanOrEqual(100);
    expect(new Set(products.map((p) => p.sku)).size).toBe(products.length);
    expect(new Set(products.map((p) => p.price.amount)).size).toBeGreaterThan(50);
    for (const product of products) {
      expect(product.price.currency).toBe("USD");
      expect(Number.isSafeInteger(product.price.amount) && product.price.amount > 0).toBe(true);
      expect(product.stock).toBeGreaterThanOrEqual(0);
      expect(product).toMatchObject({ reserved: 0, committed: 0 });
    }
    expect(products.filter((p) => p.stock === 0).length).toBeGreaterThanOrEqual(3);
    expect(new Set(products.map((p) => p.stock)).size).toBeGreaterThan(20);
  });

  it("is a function of the index alone", () => {
    expect(catalogSeed()).toEqual(catalogSeed());
    expect(catalogProduct(7)).toEqual(catalogSeed()[6]);
    expect(catalogSeed()).toHaveLength(CATALOG_SIZE);
  });
});
