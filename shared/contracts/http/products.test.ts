import type { z } from "zod";
import {
  InventoryLevelSchema,
  ListProductsQuerySchema,
  ProductListResponseSchema,
  ProductSchema,
  SetInventoryRequestSchema,
  SkuParamsSchema,
} from "./products";
import { aProduct } from "../testing/httpBuilders";

function issuePaths(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join("."));
}

describe("ProductSchema and ProductListResponseSchema", () => {
  it("accept a product and a page of products", () => {
    expect(ProductSchema.parse(aProduct())).toEqual(aProduct());
    const page = {
      items: [aProduct(), aProduct({ sku: "SKU-0002", available: 0 })],
      continuationToken: null,
    };
    expect(ProductListResponseSchema.parse(page)).toEqual(page);
  });

  it.each([
    ["available", aProduct({ available: -1 })],
    ["price.amount", aProduct({ price: { amount: 12.99, currency: "USD" } })],
    ["sku", aProduct({ sku: "has space" })],
    ["name", aProduct({ name: "" })],
  ])("reject a bad %s", (path, product) => {
    expect(issuePaths(ProductSchema, product)).toEqual([path]);
  });

  it("rejects a bad product inside a page at its index", () => {
    expect(
      issuePaths(ProductListResponseSchema, {
        items: [aProduct(), aProduct({ available: 1.5 })],
        continuationToken: null,
      }),
    ).toEqual(["items.1.available"]);
  });
});

describe("ListProductsQuerySchema and SkuParamsSchema", () => {
  it("default the limit and accept a SKU", () => {
    expect(ListProductsQuerySchema.parse({})).toEqual({ limit: 20 });
    expect(SkuParamsSchema.parse({ sku: "SKU-0001" })).toEqual({ sku: "SKU-0001" });
  });

  it("reject a bad limit and a SKU with a slash", () => {
    expect(issuePaths(ListProductsQuerySchema, { limit: "1000" })).toEqual(["limit"]);
    expect(issuePaths(SkuParamsSchema, { sku: "a/b" })).toEqual(["sku"]);
  });
});

describe("SetInventoryRequestSchema", () => {
  it("accepts zero and positive stock", () => {
    expect(SetInventoryRequestSchema.parse({ stock: 0 })).toEqual({ stock: 0 });
    expect(SetInventoryRequestSchema.parse({ stock: 25 })).toEqual({ stock: 25 });
  });

  it.each<[string, unknown, string]>([
    ["negative stock", { stock: -1 }, "stock"],
    ["fractional stock", { stock: 2.5 }, "stock"],
    ["stock as text", { stock: "25" }, "stock"],
    ["missing stock", {}, "stock"],
    ["an unknown field", { stock: 1, reserved: 0 }, ""],
  ])("rejects %s", (_label, body, path) => {
    expect(issuePaths(SetInventoryRequestSchema, body)).toEqual([path]);
  });
});

describe("InventoryLevelSchema", () => {
  const level = { sku: "SKU-0001", stock: 10, reserved: 2, committed: 3, available: 5 };

  it("accepts counters", () => {
    expect(InventoryLevelSchema.parse(level)).toEqual(level);
  });

  it("rejects a negative counter", () => {
    expect(issuePaths(InventoryLevelSchema, { ...level, reserved: -1 })).toEqual(["reserved"]);
  });
});
