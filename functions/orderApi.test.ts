/**
 * The Order API over HTTP through the local Functions host (compiled app from dist/, run by
 * `npm test` after the build), against the stand-ins: every route of docs/http-api.md and every
 * bad-input case it lists. No input may produce a 500.
 */
import { aCreateOrderRequest, anItem, items } from "../shared/contracts/testing/httpBuilders";
import {
  startHostProcess,
  startStandIns,
  type HostProcess,
  type RunningStandIns,
} from "@order-processing/local-runtime/testing";

let standIns: RunningStandIns;
let host: HostProcess;

// The saga tests wait for orders to move; the rest answer in milliseconds.
jest.setTimeout(240_000);

beforeAll(async () => {
  standIns = await startStandIns();
  try {
    host = await startHostProcess({
      // Generous step timeouts: on a loaded CI machine the saga must not fail an order these
      // tests wait on merely because a participant was slow.
      env: {
        ...standIns.settings,
        SAGA_INVENTORY_TIMEOUT_SECONDS: "120",
        SAGA_PAYMENT_TIMEOUT_SECONDS: "120",
      },
      readyTimeoutMs: 60_000,
    });
  } catch (error) {
    await standIns.stop();
    throw error;
  }
}, 120_000);

afterAll(async () => {
  await host?.stop();
  await standIns?.stop();
});

interface Call {
  readonly method?: string;
  readonly customerId?: string;
  readonly roles?: string;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  readonly rawBody?: string;
}

async function call(path: string, init: Call = {}) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.customerId !== undefined) headers["X-Customer-Id"] = init.customerId;
  if (init.roles !== undefined) headers["X-Roles"] = init.roles;
  let body: string | undefined = init.rawBody;
  if (body === undefined && init.body !== undefined) body = JSON.stringify(init.body);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
    headers["Content-Type"] = "application/json";
  }
  const response = await fetch(`${host.baseUrl}/api${path}`, {
    method: init.method ?? "GET",
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  const contentType = response.headers.get("content-type") ?? "";
  const json = contentType.includes("json") && text.length > 0 ? JSON.parse(text) : undefined;
  expect(response.status).toBeLessThan(500);
  return { status: response.status, headers: response.headers, text, json, contentType };
}

const placeOrder = (customerId: string, body: unknown, headers: Record<string, string> = {}) =>
  call("/orders", { method: "POST", customerId, body, headers });

function expectProblem(result: Awaited<ReturnType<typeof call>>, status: number) {
  expect(result.status).toBe(status);
  expect(result.contentType).toContain("application/problem+json");
  expect(result.json).toMatchObject({
    status,
    title: expect.any(String),
    type: expect.any(String),
  });
}

describe("POST /api/orders", () => {
  it("accepts an order: 202, Location, Pending, total from the catalog", async () => {
    const result = await placeOrder(
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
    const product = await call("/products/SKU-0003");
    expect(result.json.total.amount).toBe(product.json.price.amount * 2);
  });

  it("replays the same key + body, and refuses the same key with another body (409)", async () => {
    const body = aCreateOrderRequest();
    const first = await placeOrder("http-idem", body, { "Idempotency-Key": "abc-123" });
    const again = await placeOrder("http-idem", body, { "Idempotency-Key": "abc-123" });
    expect(again.status).toBe(202);
    expect(again.json).toEqual(first.json);
    const list = await call("/orders", { customerId: "http-idem" });
    expect(list.json.items).toHaveLength(1);
    const other = await placeOrder(
      "http-idem",
      aCreateOrderRequest({ items: [anItem({ quantity: 9 })] }),
      { "Idempotency-Key": "abc-123" },
    );
    expectProblem(other, 409);
  });

  it("malformed JSON is 400 with a readable detail", async () => {
    const result = await call("/orders", {
      method: "POST",
      customerId: "bad",
      rawBody: '{"email": "a@b.c",',
    });
    expectProblem(result, 400);
    expect(result.json.detail).toBe("The request body is not valid JSON.");
    expect(result.json.errors).toEqual([{ path: "", message: "is not valid JSON" }]);
  });

  it("answers friendly field messages instead of zod's defaults", async () => {
    const quantity = await placeOrder("bad", {
      ...aCreateOrderRequest(),
      items: [{ sku: "SKU-0001", quantity: "2" }],
    });
    expect(quantity.json.errors).toEqual([
      { path: "items[0].quantity", message: "must be a whole number from 1 to 100" },
    ]);
    const limit = await call("/orders?limit=abc", { customerId: "bad" });
    expectProblem(limit, 400);
    expect(limit.json.errors).toEqual([
      { path: "limit", message: "must be a whole number from 1 to 100" },
    ]);
    const status = await call("/orders?status=Lost", { customerId: "bad" });
    expect(status.json.errors).toEqual([
      { path: "status", message: expect.stringMatching(/^must be one of: Pending, /) },
    ]);
  });

  it("a content type other than JSON is 415", async () => {
    const result = await call("/orders", {
      method: "POST",
      customerId: "bad",
      rawBody: JSON.stringify(aCreateOrderRequest()),
      headers: { "Content-Type": "text/plain" },
    });
    expectProblem(result, 415);
  });

  it("a body over 64 KiB is 413", async () => {
    const big = { ...aCreateOrderRequest(), padding: "x".repeat(70 * 1024) };
    expectProblem(await placeOrder("bad", big), 413);
  });

  it("unknown fields are 400, naming each", async () => {
    const result = await placeOrder("bad", {
      ...aCreateOrderRequest(),
      price: 1,
      items: [{ sku: "SKU-0001", quantity: 1, unitPrice: 0 }],
    });
    expectProblem(result, 400);
    const paths = result.json.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["price", "items[0].unitPrice"]));
  });

  it.each([0, 101, 1.5, "2"])("quantity %p is 400 naming items[0].quantity", async (quantity) => {
    const result = await placeOrder("bad", {
      ...aCreateOrderRequest(),
      items: [{ sku: "SKU-0001", quantity }],
    });
    expectProblem(result, 400);
    expect(result.json.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: "items[0].quantity" })]),
    );
  });

  it("a duplicate SKU is 400", async () => {
    const result = await placeOrder(
      "bad",
      aCreateOrderRequest({ items: [anItem(), anItem({ quantity: 1 })] }),
    );
    expectProblem(result, 400);
    expect(result.json.errors[0].path).toBe("items[1].sku");
  });

  it("an unknown SKU is 422 naming it", async () => {
    const result = await placeOrder(
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
    const result = await placeOrder(
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
    const result = await placeOrder("bad", aCreateOrderRequest({ items: items(51) }));
    expectProblem(result, 400);
    expect(result.json.errors[0].path).toBe("items");
  });

  it("an over-long Idempotency-Key is 400", async () => {
    const result = await placeOrder("bad", aCreateOrderRequest(), {
      "Idempotency-Key": "k".repeat(101),
    });
    expectProblem(result, 400);
    expect(result.json.errors[0].path).toBe("Idempotency-Key");
  });

  it("without X-Customer-Id is 401", async () => {
    expectProblem(await call("/orders", { method: "POST", body: aCreateOrderRequest() }), 401);
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
    const placed = await placeOrder(customerId, body);
    expect(placed.status).toBe(202);
    const read = await call(`/orders/${placed.json.orderId}`, { customerId });
    expect(read.status).toBe(200);
    expect(read.contentType).toContain("application/json");
    expect(read.json.shippingAddress).toMatchObject({
      name: evil.script,
      line1: evil.sql,
      city: evil.cosmos,
    });
    expect(read.text).not.toContain("<script>");
    const list = await call("/orders", { customerId });
    expect(list.json.items.map((o: { orderId: string }) => o.orderId)).toEqual([
      placed.json.orderId,
    ]);
    // The quoted customer id matched nobody else's orders.
    expect((await call("/orders", { customerId: "x" })).json.items).toEqual([]);
  });
});

describe("GET /api/orders/{orderId}", () => {
  it("shows the caller's order, hides it from others (404), and shows any order to an admin", async () => {
    const placed = await placeOrder("owner-1", aCreateOrderRequest());
    const own = await call(`/orders/${placed.json.orderId}`, { customerId: "owner-1" });
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
      await call(`/orders/${placed.json.orderId}`, { customerId: "someone-else" }),
      404,
    );
    expect((await call(`/orders/${placed.json.orderId}`, { roles: "admin" })).status).toBe(200);
    expectProblem(await call(`/orders/${placed.json.orderId}`), 401);
    expectProblem(await call(`/orders/no-such-order`, { customerId: "owner-1" }), 404);
    expectProblem(
      await call(`/orders/${encodeURIComponent("a#b?c")}`, { customerId: "owner-1" }),
      404,
    );
  });
});

describe("GET /api/orders", () => {
  it("lists newest first with a limit, filters by status, refuses a tampered token (400)", async () => {
    for (let i = 0; i < 3; i++) await placeOrder("lister", aCreateOrderRequest());
    const page = await call("/orders?limit=2", { customerId: "lister" });
    expect(page.json.items).toHaveLength(2);
    expect(page.json.continuationToken).toEqual(expect.any(String));
    const rest = await call(
      `/orders?limit=2&continuationToken=${encodeURIComponent(page.json.continuationToken)}`,
      { customerId: "lister" },
    );
    expect(rest.json.items).toHaveLength(1);
    expect(rest.json.continuationToken).toBeNull();
    expect((await call("/orders?status=Cancelled", { customerId: "lister" })).json.items).toEqual(
      [],
    );
    const tampered = `${String(page.json.continuationToken).slice(0, -3)}AAA`;
    expectProblem(
      await call(`/orders?continuationToken=${encodeURIComponent(tampered)}`, {
        customerId: "lister",
      }),
      400,
    );
    expectProblem(
      await call("/orders?continuationToken=%7B%22token%22%3A1%7D", { customerId: "lister" }),
      400,
    );
    const oldShape = Buffer.from('{"v":1,"after":"x"}').toString("base64url");
    const products = await call("/products?limit=1");
    for (const foreign of [oldShape, String(products.json.continuationToken)]) {
      const refused = await call(`/orders?continuationToken=${encodeURIComponent(foreign)}`, {
        customerId: "lister",
      });
      expectProblem(refused, 400);
      expect(refused.json.errors).toEqual([expect.objectContaining({ path: "continuationToken" })]);
    }
    const fromOrders = await call(
      `/products?continuationToken=${encodeURIComponent(page.json.continuationToken)}`,
    );
    expectProblem(fromOrders, 400);
    expect(fromOrders.json.errors).toEqual([
      expect.objectContaining({ path: "continuationToken" }),
    ]);
    expectProblem(await call("/orders?limit=0", { customerId: "lister" }), 400);
    expectProblem(await call("/orders?limit=101", { customerId: "lister" }), 400);
    expectProblem(await call("/orders?status=Lost", { customerId: "lister" }), 400);
    expectProblem(await call("/orders"), 401);
  });
});

/** Polls the order (as admin) until `done` holds; the saga moves it asynchronously. */
async function waitForOrder(
  orderId: string,
  done: (status: string) => boolean,
): Promise<{ status: string; failureReason: string | null }> {
  const deadline = Date.now() + 100_000;
  for (;;) {
    const read = await call(`/orders/${orderId}`, { roles: "admin" });
    if (done(read.json.status))
      return read.json as { status: string; failureReason: string | null };
    if (Date.now() > deadline) throw new Error(`order ${orderId} stuck in ${read.json.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("order requests through the saga", () => {
  it("cancel: 404 for another customer, 202 for the owner, the order ends Cancelled, then 409", async () => {
    const placed = await placeOrder("canceller", aCreateOrderRequest());
    const { orderId } = placed.json;
    expectProblem(
      await call(`/orders/${orderId}/cancel`, { method: "POST", customerId: "intruder" }),
      404,
    );
    expectProblem(await call(`/orders/${orderId}/cancel`, { method: "POST" }), 401);
    const cancelled = await call(`/orders/${orderId}/cancel`, {
      method: "POST",
      customerId: "canceller",
    });
    expect(cancelled.status).toBe(202);
    expect(cancelled.json).toMatchObject({ orderId, status: "Cancelling" });
    const final = await waitForOrder(orderId, (status) => status === "Cancelled");
    expect(final.failureReason).toBe("CancelledByCustomer");
    expectProblem(
      await call(`/orders/${orderId}/cancel`, { method: "POST", customerId: "canceller" }),
      409,
    );
  });

  it("ship and deliver (admin): 403 without the role, 409 out of order, 202 in order", async () => {
    const placed = await placeOrder(
      "shipper",
      aCreateOrderRequest({ items: [anItem({ sku: "SKU-0005", quantity: 1 })] }),
    );
    const { orderId } = placed.json;
    expectProblem(
      await call(`/orders/${orderId}/ship`, { method: "POST", customerId: "shipper" }),
      403,
    );
    expectProblem(
      await call(`/orders/${orderId}/deliver`, {
        method: "POST",
        customerId: "shipper",
        roles: "viewer",
      }),
      403,
    );
    await waitForOrder(orderId, (status) => status === "Confirmed");
    expectProblem(
      await call(`/orders/${orderId}/deliver`, { method: "POST", roles: "admin" }),
      409,
    );
    expect((await call(`/orders/${orderId}/ship`, { method: "POST", roles: "admin" })).status).toBe(
      202,
    );
    await waitForOrder(orderId, (status) => status === "Shipped");
    expectProblem(await call(`/orders/${orderId}/ship`, { method: "POST", roles: "admin" }), 409);
    expect(
      (await call(`/orders/${orderId}/deliver`, { method: "POST", roles: "admin" })).status,
    ).toBe(202);
    await waitForOrder(orderId, (status) => status === "Delivered");
    expectProblem(await call(`/orders/${orderId}/cancel`, { method: "POST", roles: "admin" }), 409);
  });
});

describe("admin routes", () => {
  it("PUT /api/inventory/{sku}: 403 without admin, 200 with, 400 for a bad body, 404 for an unknown SKU", async () => {
    expectProblem(
      await call("/inventory/SKU-0010", { method: "PUT", customerId: "c", body: { stock: 5 } }),
      403,
    );
    const set = await call("/inventory/SKU-0010", {
      method: "PUT",
      roles: "admin",
      body: { stock: 42 },
    });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ sku: "SKU-0010", stock: 42 });
    expect((await call("/products/SKU-0010")).json.available).toBeLessThanOrEqual(42);
    expectProblem(
      await call("/inventory/SKU-0010", { method: "PUT", roles: "admin", body: { stock: -1 } }),
      400,
    );
    expectProblem(
      await call("/inventory/SKU-0010", {
        method: "PUT",
        roles: "admin",
        body: { stock: 1, extra: true },
      }),
      400,
    );
    expectProblem(
      await call("/inventory/NOPE", { method: "PUT", roles: "admin", body: { stock: 1 } }),
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
      const page = await call(
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
    expectProblem(await call("/products/SKU-NONE"), 404);
    expectProblem(await call("/products?continuationToken=garbage!"), 400);
  });

  it("GET /api/health is 200 with every check ok", async () => {
    const health = await call("/health");
    expect(health.status).toBe(200);
    expect(health.json).toEqual({
      status: "ok",
      checks: { cosmos: { status: "ok" }, serviceBus: { status: "ok" }, storage: { status: "ok" } },
    });
  });

  it("serves the OpenAPI document and Swagger UI from the package", async () => {
    const doc = await call("/openapi.json");
    expect(doc.status).toBe(200);
    expect(doc.json.openapi).toMatch(/^3\.1/);
    const redirect = await fetch(`${host.baseUrl}/api/docs`, { redirect: "manual" });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe("docs/");
    const page = await call("/docs");
    expect(page.status).toBe(200);
    expect(page.text).not.toContain("<base");
    expect(page.text).toContain("swagger-ui-bundle.js");
    const bundle = await fetch(`${host.baseUrl}/api/docs/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(1000);
    expectProblem(await call("/docs/..%2F..%2Fpackage.json"), 404);
  });
});
