import type { WorkerTestbed } from "../../workers/testing/workerTestbed";
import { seedProduct, startWorkerTestbed } from "../../workers/testing/workerTestbed";
import { CosmosProductStock } from "./cosmosProductStock";
import type { ProductDocument } from "./productDocument";

let bed: WorkerTestbed;
let stock: CosmosProductStock;
beforeAll(async () => {
  bed = await startWorkerTestbed();
  stock = new CosmosProductStock(bed.products, {
    maxAttempts: 50,
    backoff: () => new Promise((resolve) => setImmediate(resolve)),
  });
});
afterAll(() => bed.close());

let sequence = 0;
/** A product that has held stock before (its document carries `holds`). */
async function productWithHolds(stockLevel: number): Promise<string> {
  const sku = `STOCK-${++sequence}`;
  await seedProduct(bed.products, sku, stockLevel);
  await bed.products.item(sku, sku).patch([{ op: "set", path: "/holds", value: {} }]);
  return sku;
}

async function productOf(sku: string): Promise<ProductDocument> {
  const { resource } = await bed.products.item(sku, sku).read<ProductDocument>();
  return resource as ProductDocument;
}

/** Cosmos requests that `action` made. */
async function requestsOf(action: () => Promise<unknown>): Promise<number> {
  const before = bed.server.requestCount();
  await action();
  return bed.server.requestCount() - before;
}

describe("CosmosProductStock", () => {
  it("holds and commits with one request each, and a repeat changes nothing", async () => {
    const sku = await productWithHolds(10);
    const orderId = "3f1c2a9e-0d4b-4c55-9a3e-6b7f8c9d0e1f";
    expect(await requestsOf(() => stock.hold(sku, orderId, 4))).toBe(1);
    expect(await stock.hold(sku, orderId, 4)).toEqual({ kind: "held" });
    expect(await productOf(sku)).toMatchObject({
      stock: 10,
      reserved: 4,
      committed: 0,
      holds: { [orderId]: { quantity: 4, state: "reserved" } },
    });
    expect(await requestsOf(() => stock.commit(sku, orderId, 4))).toBe(1);
    await stock.commit(sku, orderId, 4);
    expect(await productOf(sku)).toMatchObject({
      stock: 10,
      reserved: 0,
      committed: 4,
      holds: { [orderId]: { quantity: 4, state: "committed" } },
    });
  });

  it("answers short with what is available, holding nothing", async () => {
    const sku = await productWithHolds(5);
    await stock.hold(sku, "order-first", 3);
    expect(await stock.hold(sku, "order-second", 3)).toEqual({ kind: "short", available: 2 });
    const product = await productOf(sku);
    expect(product.reserved).toBe(3);
    expect(Object.keys(product.holds ?? {})).toEqual(["order-first"]);
  });

  it("holds on a product that never held stock, and answers unknownSku for a missing one", async () => {
    const sku = `STOCK-${++sequence}`;
    await seedProduct(bed.products, sku, 2);
    expect(await stock.hold(sku, "order-new", 2)).toEqual({ kind: "held" });
    expect(await productOf(sku)).toMatchObject({ reserved: 2, holds: { "order-new": {} } });
    expect(await stock.hold("STOCK-none", "order-new", 1)).toEqual({ kind: "unknownSku" });
  });

  it("keeps holds of ids that differ only in case apart", async () => {
    const sku = await productWithHolds(10);
    await stock.hold(sku, "order-a", 1);
    await stock.hold(sku, "Order-A", 2);
    await stock.hold(sku, "Order-A", 2);
    await stock.commit(sku, "Order-A", 2);
    expect(await productOf(sku)).toMatchObject({
      reserved: 1,
      committed: 2,
      holds: {
        "order-a": { quantity: 1, state: "reserved" },
        "Order-A": { quantity: 2, state: "committed" },
      },
    });
  });

  it("commits a hold of another quantity as it is", async () => {
    const sku = await productWithHolds(10);
    await stock.hold(sku, "order-q", 3);
    await stock.commit(sku, "order-q", 5);
    expect(await productOf(sku)).toMatchObject({
      reserved: 0,
      committed: 3,
      holds: { "order-q": { quantity: 3, state: "committed" } },
    });
  });

  it("never holds more than the stock under concurrent holds", async () => {
    const sku = await productWithHolds(25);
    const outcomes = await Promise.all(
      Array.from({ length: 60 }, (_, i) => stock.hold(sku, `order-race-${i}`, 1)),
    );
    expect(outcomes.filter((o) => o.kind === "held")).toHaveLength(25);
    const product = await productOf(sku);
    expect(product.reserved).toBe(25);
    expect(Object.keys(product.holds ?? {})).toHaveLength(25);
  });
});
