/**
 * The order routes over HTTP through the local Functions host (compiled app from dist/, run
 * by `npm test` after the build), against the stand-ins: placing, reading and listing orders,
 * and every bad-input case docs/http-api.md lists for them. No input may produce a 500.
 */
import { aCreateOrderRequest, anItem, items } from "../shared/contracts/testing/httpBuilders";
import { expectProblem } from "../tests/support/expectProblem";
import { useTestStack } from "../tests/support/useTestStack";

// The API's functions alone: these cases are about the answers, not the orders' journey.
const { api } = useTestStack({ apiOnly: true, failOnServerError: true });

describe("POST /api/orders", () => {
  it("accepts an order: 202, Location, Pending, total from the catalog", async () => {
    const result = await api.postOrder(
      "http-c1",
      aCreateOrderRequest({ items: [anItem({ sku: "SKU-0003", quantity: 2 })] }),
    );
    expect(result.status).toBe(202);
    expect(result.json).toMatchObject({
      orderId: expect.any(String),
      status: "Pending",
      total: { currency: "USD" },
    });
    expect(result.headers.get("location")).toBe(`/api/orders/${result.json.orderId}`);
    const product = await api.call("/products/SKU-0003");
    expect(result.json.total.amount).toBe(product.json.price.amount * 2);
  });

  it("replays the same key + body, and refuses the same key with another body (409)", async () => {
    const body = aCreateOrderRequest();
    const first = await api.postOrder("http-idem", body, { "Idempotency-Key": "abc-123" });
    const again = await api.postOrder("http-idem", body, { "Idempotency-Key": "abc-123" });
    expect(again.status).toBe(202);
    expect(again.json).toEqual(first.json);
    const list = await api.call("/orders", { customerId: "http-idem" });
    expect(list.json.items).toHaveLength(1);
    const other = await api.postOrder(
      "http-idem",
      aCreateOrderRequest({ items: [anItem({ quantity: 9 })] }),
      { "Idempotency-Key": "abc-123" },
    );
    expectProblem(other, 409);
  });

  it("malformed JSON is 400 with a readable detail", async () => {
    const result = await api.call("/orders", {
      method: "POST",
      customerId: "bad",
      rawBody: '{"email": "a@b.c",',
    });
    expectProblem(result, 400);
    expect(result.json.detail).toBe("The request body is not valid JSON.");
    expect(result.json.errors).toEqual([{ path: "", message: "is not valid JSON" }]);
  });

  it("answers friendly field messages instead of zod's defaults", async () => {
    const quantity = await api.postOrder("bad", {
      ...aCreateOrderRequest(),
      items: [{ sku: "SKU-0001", quantity: "2" }],
    });
    expect(quantity.json.errors).toEqual([
      { path: "items[0].quantity", message: "must be a whole number from 1 to 100" },
    ]);
    const limit = await api.call("/orders?limit=abc", { customerId: "bad" });
    expectProblem(limit, 400);
    expect(limit.json.errors).toEqual([
      { path: "limit", message: "must be a whole number from 1 to 100" },
    ]);
    const status = await api.call("/orders?status=Lost", { customerId: "bad" });
    expect(status.json.errors).toEqual([
      { path: "status", message: expect.stringMatching(/^must be one of: Pending, /) },
    ]);
  });

  it("a content type other than JSON is 415", async () => {
    const result = await api.call("/orders", {
      method: "POST",
      customerId: "bad",
      rawBody: JSON.stringify(aCreateOrderRequest()),
      headers: { "Content-Type": "text/plain" },
    });
    expectProblem(result, 415);
  });

  it("a body over 64 KiB is 413", async () => {
    const big = { ...aCreateOrderRequest(), padding: "x".repeat(70 * 1024) };
    expectProblem(await api.postOrder("bad", big), 413);
  });

  it("unknown fields are 400, naming each", async () => {
    const result = await api.postOrder("bad", {
      ...aCreateOrderRequest(),
      price: 1,
      items: [{ sku: "SKU-0001", quantity: 1, unitPrice: 0 }],
    });
    expectProblem(result, 400);
    const paths = result.json.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["price", "items[0].unitPrice"]));
  });

  it.each([0, 101, 1.5, "2"])("quantity %p is 400 naming items[0].quantity", async (quantity) => {
    const result = await api.postOrder("bad", {
      ...aCreateOrderRequest(),
      items: [{ sku: "SKU-0001", quantity }],
    });
    expectProblem(result, 400);
    expect(result.json.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: "items[0].quantity" })]),
    );
  });

  it("a duplicate SKU is 400", async () => {
    const result = await api.postOrder(
      "bad",
      aCreateOrderRequest({ items: [anItem(), anItem({ quantity: 1 })] }),
    );
    expectProblem(result, 400);
    expect(result.json.errors[0].path).toBe("items[1].sku");
  });

  it("an unknown SKU is 422 naming it", async () => {
    const result = await api.postOrder(
      "bad",
      aCreateOrderRequest({ items: [anItem({ sku: "SKU-9999" })] }),
    );
    expectProblem(result, 422);
    expect(result.json.detail).toContain("SKU-9999");
    expect(result.json.errors).toEqual([
      { path: "items[0].sku", message: "is not in the catalog" },
    ]);
  });

  it("unknown SKUs are 422 with one error per unknown line", async () => {
    const result = await api.postOrder(
      "bad",
      aCreateOrderRequest({
        items: [
          anItem({ sku: "SKU-9998" }),
          anItem({ sku: "SKU-0001" }),
          anItem({ sku: "SKU-9999" }),
        ],
      }),
    );
    expectProblem(result, 422);
    expect(result.json.detail).toBe("Unknown SKUs: SKU-9998, SKU-9999.");
    expect(result.json.errors).toEqual([
      { path: "items[0].sku", message: "is not in the catalog" },
      { path: "items[2].sku", message: "is not in the catalog" },
    ]);
  });

  it("51 lines is 400", async () => {
    const result = await api.postOrder("bad", aCreateOrderRequest({ items: items(51) }));
    expectProblem(result, 400);
    expect(result.json.errors[0].path).toBe("items");
  });

  it("an over-long Idempotency-Key is 400", async () => {
    const result = await api.postOrder("bad", aCreateOrderRequest(), {
      "Idempotency-Key": "k".repeat(101),
    });
    expectProblem(result, 400);
    expect(result.json.errors[0].path).toBe("Idempotency-Key");
  });

  it("without X-Customer-Id is 401", async () => {
    expectProblem(await api.call("/orders", { method: "POST", body: aCreateOrderRequest() }), 401);
  });

  it("stores injection-looking strings verbatim and returns them JSON-encoded", async () => {
    const evil = {
      sql: "Robert'); DROP TABLE orders;--",
      script: '<script>alert("x")</script>',
      cosmos: '" OR 1=1 OR c.customerId != "',
    };
    const customerId = `x' OR '1'='1 / #?\\`;
    const body = aCreateOrderRequest({
      shippingAddress: {
        name: evil.script,
        line1: evil.sql,
        city: evil.cosmos,
        postalCode: "1",
        country: "GB",
      },
    });
    const placed = await api.postOrder(customerId, body);
    expect(placed.status).toBe(202);
    const read = await api.call(`/orders/${placed.json.orderId}`, { customerId });
    expect(read.status).toBe(200);
    expect(read.contentType).toContain("application/json");
    expect(read.json.shippingAddress).toMatchObject({
      name: evil.script,
      line1: evil.sql,
      city: evil.cosmos,
    });
    expect(read.text).not.toContain("<script>");
    const list = await api.call("/orders", { customerId });
    expect(list.json.items.map((o: { orderId: string }) => o.orderId)).toEqual([
      placed.json.orderId,
    ]);
    // The quoted customer id matched nobody else's orders.
    expect((await api.call("/orders", { customerId: "x" })).json.items).toEqual([]);
  });
});

describe("GET /api/orders/{orderId}", () => {
  it("shows the caller's order, hides it from others (404), and shows any order to an admin", async () => {
    const placed = await api.postOrder("owner-1", aCreateOrderRequest());
    const own = await api.call(`/orders/${placed.json.orderId}`, { customerId: "owner-1" });
    expect(own.status).toBe(200);
    expect(own.json).toMatchObject({
      orderId: placed.json.orderId,
      customerId: "owner-1",
      status: "Pending",
      failureReason: null,
    });
    expect(own.json.timeline[0]).toMatchObject({ status: "Pending" });
    expect(own.json.payment).toBeUndefined();
    expectProblem(
      await api.call(`/orders/${placed.json.orderId}`, { customerId: "someone-else" }),
      404,
    );
    expect((await api.call(`/orders/${placed.json.orderId}`, { roles: "admin" })).status).toBe(200);
    expectProblem(await api.call(`/orders/${placed.json.orderId}`), 401);
    expectProblem(await api.call(`/orders/no-such-order`, { customerId: "owner-1" }), 404);
    expectProblem(
      await api.call(`/orders/${encodeURIComponent("a#b?c")}`, { customerId: "owner-1" }),
      404,
    );
  });
});

describe("GET /api/orders", () => {
  it("lists newest first with a limit, filters by status, refuses a tampered token (400)", async () => {
    for (let i = 0; i < 3; i++) await api.postOrder("lister", aCreateOrderRequest());
    const page = await api.call("/orders?limit=2", { customerId: "lister" });
    expect(page.json.items).toHaveLength(2);
    expect(page.json.continuationToken).toEqual(expect.any(String));
    const rest = await api.call(
      `/orders?limit=2&continuationToken=${encodeURIComponent(page.json.continuationToken)}`,
      { customerId: "lister" },
    );
    expect(rest.json.items).toHaveLength(1);
    expect(rest.json.continuationToken).toBeNull();
    expect(
      (await api.call("/orders?status=Cancelled", { customerId: "lister" })).json.items,
    ).toEqual([]);
    const tampered = `${String(page.json.continuationToken).slice(0, -3)}AAA`;
    expectProblem(
      await api.call(`/orders?continuationToken=${encodeURIComponent(tampered)}`, {
        customerId: "lister",
      }),
      400,
    );
    expectProblem(
      await api.call("/orders?continuationToken=%7B%22token%22%3A1%7D", { customerId: "lister" }),
      400,
    );
    const oldShape = Buffer.from('{"v":1,"after":"x"}').toString("base64url");
    const products = await api.call("/products?limit=1");
    for (const foreign of [oldShape, String(products.json.continuationToken)]) {
      const refused = await api.call(`/orders?continuationToken=${encodeURIComponent(foreign)}`, {
        customerId: "lister",
      });
      expectProblem(refused, 400);
      expect(refused.json.errors).toEqual([expect.objectContaining({ path: "continuationToken" })]);
    }
    const fromOrders = await api.call(
      `/products?continuationToken=${encodeURIComponent(page.json.continuationToken)}`,
    );
    expectProblem(fromOrders, 400);
    expect(fromOrders.json.errors).toEqual([
      expect.objectContaining({ path: "continuationToken" }),
    ]);
    expectProblem(await api.call("/orders?limit=0", { customerId: "lister" }), 400);
    expectProblem(await api.call("/orders?limit=101", { customerId: "lister" }), 400);
    expectProblem(await api.call("/orders?status=Lost", { customerId: "lister" }), 400);
    expectProblem(await api.call("/orders"), 401);
  });
});
