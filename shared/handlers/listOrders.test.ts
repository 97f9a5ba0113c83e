import { aCreateOrderRequest } from "../contracts/testing/httpBuilders";
import { withProblemBoundary } from "./http/problemBoundary";
import { createListOrdersHandler } from "./listOrders";
import { apiRequest, jsonOf, startApiTestbed, type ApiTestbed } from "./testing/apiTestbed";
import { placeOrderOn } from "./testing/placeOrderOn";

let bed: ApiTestbed;
beforeAll(async () => {
  bed = await startApiTestbed();
});
afterAll(async () => {
  await bed.close();
});

const post = (customerId: string, body: unknown) =>
  apiRequest({ method: "POST", path: "/orders", headers: { "X-Customer-Id": customerId }, body });

describe("createListOrdersHandler", () => {
  it("pages through 250 orders newest first, each exactly once", async () => {
    const placeOrder = placeOrderOn(bed);
    const placed: string[] = [];
    for (let i = 0; i < 250; i++) {
      // Every tenth order shares its timestamp with the previous one: ties break on id.
      if (i % 10 !== 0) bed.clock.advance(1000);
      placed.push(jsonOf(await placeOrder(post("cust-paging", aCreateOrderRequest()))).orderId);
    }
    const listOrders = createListOrdersHandler({ orders: bed.orders });
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const query: Record<string, string> = {
        limit: "37",
        ...(token === null ? {} : { continuationToken: token }),
      };
      const response = await listOrders(
        apiRequest({ headers: { "X-Customer-Id": "cust-paging" }, query }),
      );
      expect(response.status).toBe(200);
      const body = jsonOf(response);
      seen.push(...body.items.map((o: { orderId: string }) => o.orderId));
      token = body.continuationToken;
      pages += 1;
    } while (token !== null);
    expect(pages).toBe(7);
    expect(seen).toHaveLength(250);
    expect(new Set(seen)).toEqual(new Set(placed));
    const created = await Promise.all(
      seen.map(async (id) => (await bed.orders.get("cust-paging", id))?.order.createdAt ?? ""),
    );
    expect([...created].sort().reverse()).toEqual(created);
  });

  it("refuses a tampered continuation token with 400", async () => {
    const listOrders = withProblemBoundary(
      createListOrdersHandler({ orders: bed.orders }),
      bed.logger,
    );
    const first = jsonOf(
      await listOrders(
        apiRequest({ headers: { "X-Customer-Id": "cust-paging" }, query: { limit: "5" } }),
      ),
    );
    const tampered = `${first.continuationToken.slice(0, -2)}x`;
    for (const token of [tampered, "not-a-token", "eyJ2IjoyfQ", "%%%"]) {
      const response = await listOrders(
        apiRequest({
          headers: { "X-Customer-Id": "cust-paging" },
          query: { continuationToken: token },
        }),
      );
      expect(response.status).toBe(400);
      expect(jsonOf(response).errors[0].path).toBe("continuationToken");
    }
  });
});
