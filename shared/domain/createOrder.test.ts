import { createOrder } from "./createOrder";
import { InvalidOrderError, InvalidTimestampError, UnknownSkuError } from "./orderErrors";
import { T0, aCatalogPrice, aMoney, aNewOrder } from "./testing/orderBuilders";

describe("createOrder", () => {
  const catalog = [
    aCatalogPrice({ sku: "SKU-0001", price: aMoney({ amount: 1299 }) }),
    aCatalogPrice({ sku: "SKU-0002", name: "Lamp", price: aMoney({ amount: 500 }) }),
  ];

  it("prices lines from the catalog and totals them", () => {
    const order = createOrder(
      aNewOrder({
        items: [
          { sku: "SKU-0001", quantity: 2 },
          { sku: "SKU-0002", quantity: 3 },
        ],
      }),
      catalog,
      T0,
    );
    expect(order.items).toEqual([
      {
        sku: "SKU-0001",
        name: "Product SKU-0001",
        quantity: 2,
        unitPrice: aMoney({ amount: 1299 }),
        lineTotal: aMoney({ amount: 2598 }),
      },
      {
        sku: "SKU-0002",
        name: "Lamp",
        quantity: 3,
        unitPrice: aMoney({ amount: 500 }),
        lineTotal: aMoney({ amount: 1500 }),
      },
    ]);
    expect(order.total).toEqual(aMoney({ amount: 4098 }));
  });

  it("starts Pending with one timeline entry at the given time and no reason", () => {
    const order = createOrder(aNewOrder(), catalog, T0);
    expect(order.status).toBe("Pending");
    expect(order.failureReason).toBeNull();
    expect(order.timeline).toEqual([{ at: T0.toISOString(), status: "Pending" }]);
    expect(order.createdAt).toBe(T0.toISOString());
    expect(order.updatedAt).toBe(T0.toISOString());
  });

  it("names every unknown SKU", () => {
    const create = () =>
      createOrder(
        aNewOrder({
          items: [
            { sku: "NOPE-1", quantity: 1 },
            { sku: "SKU-0001", quantity: 1 },
            { sku: "NOPE-2", quantity: 1 },
          ],
        }),
        catalog,
        T0,
      );
    expect(create).toThrow(UnknownSkuError);
    expect(create).toThrow(
      expect.objectContaining({ code: "UnknownSku", skus: ["NOPE-1", "NOPE-2"] }),
    );
  });

  it("refuses a catalog price in another currency than the order's", () => {
    expect(() => createOrder(aNewOrder({ currency: "EUR" }), catalog, T0)).toThrow(
      expect.objectContaining({ code: "InvalidOrder" }),
    );
  });

  it.each([
    ["no lines", { items: [] }],
    ["51 lines", { items: Array.from({ length: 51 }, (_, i) => ({ sku: `S${i}`, quantity: 1 })) }],
    [
      "a duplicate SKU",
      {
        items: [
          { sku: "SKU-0001", quantity: 1 },
          { sku: "SKU-0001", quantity: 2 },
        ],
      },
    ],
    ["quantity 0", { items: [{ sku: "SKU-0001", quantity: 0 }] }],
    ["quantity 101", { items: [{ sku: "SKU-0001", quantity: 101 }] }],
    ["quantity 1.5", { items: [{ sku: "SKU-0001", quantity: 1.5 }] }],
  ])("refuses %s", (_label, overrides) => {
    expect(() => createOrder(aNewOrder(overrides), catalog, T0)).toThrow(InvalidOrderError);
  });

  it("refuses an invalid clock value", () => {
    expect(() => createOrder(aNewOrder(), catalog, new Date(Number.NaN))).toThrow(
      InvalidTimestampError,
    );
  });
});
