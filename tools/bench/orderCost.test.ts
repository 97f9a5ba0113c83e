import prices from "./azurePrices.json";
import { durableStorageEstimate, estimatedRu, orderCost } from "./orderCost";

describe("estimatedRu", () => {
  it("charges a 1 KB point read 1 RU and a 1 KB write 4.95 RU, as Microsoft's table says", () => {
    expect(estimatedRu("read", { requests: 1, documents: 1, documentBytes: 1024 })).toBeCloseTo(1);
    expect(estimatedRu("create", { requests: 1, documents: 1, documentBytes: 1024 })).toBeCloseTo(
      4.95,
    );
  });

  it("interpolates between the table's sizes and charges small documents as 1 KB", () => {
    expect(
      estimatedRu("upsert", { requests: 1, documents: 1, documentBytes: 3 * 1024 }),
    ).toBeCloseTo((6.29 + 6.67) / 2);
    expect(estimatedRu("read", { requests: 2, documents: 2, documentBytes: 400 })).toBeCloseTo(2);
  });

  it("charges a batch per operation and a query a base charge plus a read per result", () => {
    expect(
      estimatedRu("batch", { requests: 1, documents: 3, documentBytes: 3 * 1024 }),
    ).toBeCloseTo(3 * 4.95);
    expect(estimatedRu("query", { requests: 1, documents: 2, documentBytes: 2048 })).toBeCloseTo(
      2.5 + 2,
    );
    expect(estimatedRu("metadata", { requests: 5, documents: 5, documentBytes: 500 })).toBe(0);
    expect(estimatedRu("queryPlan", { requests: 1, documents: 1, documentBytes: 500 })).toBe(0);
  });
});

describe("orderCost", () => {
  it("sums the services per order and prices 1,000 orders from the committed price list", () => {
    const cost = orderCost({
      orders: 10,
      cosmos: {
        "read orders": { requests: 20, documents: 20, documentBytes: 20 * 1024 },
        "batch orders": { requests: 10, documents: 30, documentBytes: 30 * 1024 },
      },
      serviceBusOperations: 300,
      episodes: 100,
      activities: 80,
      executions: 250,
      instanceSeconds: 5,
    });
    expect(cost.cosmosRequestsPerOrder).toBe(3);
    expect(cost.ruPerOrder).toBeCloseTo(2 + 3 * 4.95, 2);
    expect(cost.serviceBusOperationsPerOrder).toBe(30);
    expect(cost.storagePerOrder).toEqual(durableStorageEstimate(10, 8));
    expect(cost.executionsPerOrder).toBe(25);
    expect(cost.gbSecondsPerOrder).toBe(1);
    const p = prices.prices;
    expect(cost.usdPer1000Orders.cosmos).toBeCloseTo(
      (1000 * (2 + 3 * 4.95) * p.cosmosServerlessPerMillionRU.price) / 1e6,
      4,
    );
    expect(cost.usdPer1000Orders.functionMemory).toBeCloseTo(1000 * p.flexGbSecond.price, 4);
    const parts = Object.entries(cost.usdPer1000Orders).filter(([k]) => k !== "total");
    expect(cost.usdPer1000Orders.total).toBeCloseTo(
      parts.reduce((sum, [, v]) => sum + v, 0),
      3,
    );
  });

  it("dates every price and names its source", () => {
    expect(prices.recorded).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const price of Object.values(prices.prices)) {
      expect(price.source).toMatch(/^https:\/\/azure\.microsoft\.com\/pricing\//);
      expect(price.price).toBeGreaterThan(0);
    }
  });
});
