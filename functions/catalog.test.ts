/**
 * The catalog routes over HTTP through the local Functions host: the seeded products, paged,
 * and an operator setting a product's stock. No input may produce a 500.
 */
import type { ApiResponse } from "../tests/support/apiClient";
import { expectProblem } from "../tests/support/expectProblem";
import { useTestStack } from "../tests/support/useTestStack";

// The API's functions alone: these cases are about the answers, not the orders' journey.
const { api } = useTestStack({ apiOnly: true, failOnServerError: true });

describe("admin routes", () => {
  it("PUT /api/inventory/{sku}: 403 without admin, 200 with, 400 for a bad body, 404 for an unknown SKU", async () => {
    expectProblem(
      await api.call("/inventory/SKU-0010", { method: "PUT", customerId: "c", body: { stock: 5 } }),
      403,
    );
    const set = await api.call("/inventory/SKU-0010", {
      method: "PUT",
      roles: "admin",
      body: { stock: 42 },
    });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ sku: "SKU-0010", stock: 42 });
    expect((await api.call("/products/SKU-0010")).json.available).toBeLessThanOrEqual(42);
    expectProblem(
      await api.call("/inventory/SKU-0010", { method: "PUT", roles: "admin", body: { stock: -1 } }),
      400,
    );
    expectProblem(
      await api.call("/inventory/SKU-0010", {
        method: "PUT",
        roles: "admin",
        body: { stock: 1, extra: true },
      }),
      400,
    );
    expectProblem(
      await api.call("/inventory/NOPE", { method: "PUT", roles: "admin", body: { stock: 1 } }),
      404,
    );
  });
});

describe("catalog and operations", () => {
  it("lists at least 100 seeded products in pages, some out of stock", async () => {
    const skus: string[] = [];
    let available: number[] = [];
    let token: string | null = null;
    do {
      const page: ApiResponse = await api.call(
        `/products?limit=50${token === null ? "" : `&continuationToken=${encodeURIComponent(token)}`}`,
      );
      expect(page.status).toBe(200);
      skus.push(...page.json.items.map((p: { sku: string }) => p.sku));
      available = available.concat(page.json.items.map((p: { available: number }) => p.available));
      token = page.json.continuationToken;
    } while (token !== null);
    expect(skus.length).toBeGreaterThanOrEqual(100);
    expect(new Set(skus).size).toBe(skus.length);
    expect(available).toContain(0);
    expectProblem(await api.call("/products/SKU-NONE"), 404);
    expectProblem(await api.call("/products?continuationToken=garbage!"), 400);
  });
});
