import type { z } from "zod";
import {
  CancelOrderResponseSchema,
  CreateOrderRequestSchema,
  CreateOrderResponseSchema,
  ListOrdersQuerySchema,
  OrderIdParamsSchema,
  OrderListResponseSchema,
  OrderResponseSchema,
} from "./orders";
import { aCreateOrderRequest, anItem, items } from "../testing/httpBuilders";
import { aShippingAddress, anOrder } from "../../domain/testing/orderBuilders";

function issuePaths(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join("."));
}

describe("CreateOrderRequestSchema", () => {
  it("accepts the example of docs/http-api.md", () => {
    expect(CreateOrderRequestSchema.parse(aCreateOrderRequest())).toEqual(aCreateOrderRequest());
  });

  it("accepts 50 lines and quantities 1 and 100", () => {
    expect(
      CreateOrderRequestSchema.safeParse(aCreateOrderRequest({ items: items(50) })).success,
    ).toBe(true);
    const edges = [anItem({ sku: "A", quantity: 1 }), anItem({ sku: "B", quantity: 100 })];
    expect(CreateOrderRequestSchema.safeParse(aCreateOrderRequest({ items: edges })).success).toBe(
      true,
    );
  });

  it.each<[string, unknown, string[]]>([
    ["no lines", aCreateOrderRequest({ items: [] }), ["items"]],
    ["51 lines", aCreateOrderRequest({ items: items(51) }), ["items"]],
    ["quantity 0", aCreateOrderRequest({ items: [anItem({ quantity: 0 })] }), ["items.0.quantity"]],
    [
      "quantity 101",
      aCreateOrderRequest({ items: [anItem({ quantity: 101 })] }),
      ["items.0.quantity"],
    ],
    [
      "quantity 1.5",
      aCreateOrderRequest({ items: [anItem({ quantity: 1.5 })] }),
      ["items.0.quantity"],
    ],
    [
      "quantity as text",
      aCreateOrderRequest({ items: [{ sku: "A", quantity: "2" as unknown as number }] }),
      ["items.0.quantity"],
    ],
    [
      "a repeated SKU",
      aCreateOrderRequest({
        items: [anItem({ sku: "A" }), anItem({ sku: "B" }), anItem({ sku: "A" })],
      }),
      ["items.2.sku"],
    ],
    ["a bad email", aCreateOrderRequest({ email: "ada" }), ["email"]],
    ["a phone with spaces", aCreateOrderRequest({ phone: "+44 7700 900123" }), ["phone"]],
    ["a phone without +", aCreateOrderRequest({ phone: "447700900123" }), ["phone"]],
    ["a national phone number", aCreateOrderRequest({ phone: "07700900123" }), ["phone"]],
    ["a phone of 16 digits", aCreateOrderRequest({ phone: "+4477009001234567" }), ["phone"]],
    ["a country code 0", aCreateOrderRequest({ phone: "+0447700900123" }), ["phone"]],
    ["a lower-case currency", aCreateOrderRequest({ currency: "usd" }), ["currency"]],
    ["a 4-letter currency", aCreateOrderRequest({ currency: "USDT" }), ["currency"]],
    [
      "another payment method",
      aCreateOrderRequest({ payment: { method: "cash" as "card", token: "t" } }),
      ["payment.method"],
    ],
    [
      "an empty token",
      aCreateOrderRequest({ payment: { method: "card", token: "" } }),
      ["payment.token"],
    ],
    [
      "a country name",
      aCreateOrderRequest({ shippingAddress: aShippingAddress({ country: "England" }) }),
      ["shippingAddress.country"],
    ],
    [
      "no shipping city",
      aCreateOrderRequest({ shippingAddress: aShippingAddress({ city: " " }) }),
      ["shippingAddress.city"],
    ],
    ["an unknown top-level field", { ...aCreateOrderRequest(), price: 1 }, [""]],
    [
      "an unknown line field",
      aCreateOrderRequest({ items: [{ ...anItem(), price: 1 } as never] }),
      ["items.0"],
    ],
    [
      "an unknown address field",
      aCreateOrderRequest({ shippingAddress: { ...aShippingAddress(), planet: "Earth" } as never }),
      ["shippingAddress"],
    ],
    ["a missing email", { ...aCreateOrderRequest(), email: undefined }, ["email"]],
  ])("rejects %s at the field", (_label, body, paths) => {
    expect(issuePaths(CreateOrderRequestSchema, body)).toEqual(paths);
  });

  it("takes an optional E.164 phone of up to 15 digits", () => {
    for (const phone of ["+447700900123", "+14255550123", "+123456789012345"]) {
      expect(CreateOrderRequestSchema.parse(aCreateOrderRequest({ phone })).phone).toBe(phone);
    }
  });

  it("says which line the repeated SKU first appeared on", () => {
    const result = CreateOrderRequestSchema.safeParse(
      aCreateOrderRequest({ items: [anItem({ sku: "A" }), anItem({ sku: "A" })] }),
    );
    expect(result.error?.issues[0]?.message).toBe("duplicate SKU A: already in items[0]");
  });
});

describe("CreateOrderResponseSchema", () => {
  const valid = { orderId: "o-1", status: "Pending", total: { amount: 2598, currency: "USD" } };

  it("accepts the example of docs/http-api.md", () => {
    expect(CreateOrderResponseSchema.parse(valid)).toEqual(valid);
  });

  it("rejects an unknown status and a float total", () => {
    expect(issuePaths(CreateOrderResponseSchema, { ...valid, status: "Placed" })).toEqual([
      "status",
    ]);
    expect(
      issuePaths(CreateOrderResponseSchema, {
        ...valid,
        total: { amount: 25.98, currency: "USD" },
      }),
    ).toEqual(["total.amount"]);
  });
});

describe("OrderResponseSchema", () => {
  it("shows an order without its payment token", () => {
    const shown = OrderResponseSchema.parse(anOrder("Confirmed"));
    expect(shown).not.toHaveProperty("payment");
    expect(shown).toMatchObject({ status: "Confirmed", failureReason: null });
  });

  it.each([
    ["failureReason", { failureReason: "Bored" }],
    ["timeline.0.at", { timeline: [{ at: "noon", status: "Pending" }] }],
    ["items", { items: [] }],
  ])("rejects a bad %s", (path, change) => {
    expect(issuePaths(OrderResponseSchema, { ...anOrder(), ...change })).toEqual([path]);
  });
});

describe("OrderListResponseSchema", () => {
  it("accepts a page with or without a continuation token", () => {
    const page = { items: [OrderResponseSchema.parse(anOrder())], continuationToken: "abc" };
    expect(OrderListResponseSchema.safeParse(page).success).toBe(true);
    expect(OrderListResponseSchema.safeParse({ items: [], continuationToken: null }).success).toBe(
      true,
    );
  });

  it("requires the continuation token to be present, even as null", () => {
    expect(issuePaths(OrderListResponseSchema, { items: [] })).toEqual(["continuationToken"]);
  });
});

describe("ListOrdersQuerySchema", () => {
  it("defaults limit to 20 and reads numbers from text", () => {
    expect(ListOrdersQuerySchema.parse({})).toEqual({ limit: 20 });
    expect(
      ListOrdersQuerySchema.parse({ limit: "5", status: "Failed", continuationToken: "t" }),
    ).toEqual({
      limit: 5,
      status: "Failed",
      continuationToken: "t",
    });
  });

  it.each([
    ["limit", { limit: "0" }],
    ["limit", { limit: "101" }],
    ["limit", { limit: "ten" }],
    ["status", { status: "Lost" }],
  ])("rejects a bad %s", (path, query) => {
    expect(issuePaths(ListOrdersQuerySchema, query)).toEqual([path]);
  });
});

describe("OrderIdParamsSchema and CancelOrderResponseSchema", () => {
  it("accept an order id and a status", () => {
    expect(OrderIdParamsSchema.parse({ orderId: "o-1" })).toEqual({ orderId: "o-1" });
    expect(CancelOrderResponseSchema.parse({ orderId: "o-1", status: "Cancelling" })).toEqual({
      orderId: "o-1",
      status: "Cancelling",
    });
  });

  it("reject an empty id and an unknown status", () => {
    expect(issuePaths(OrderIdParamsSchema, { orderId: "" })).toEqual(["orderId"]);
    expect(issuePaths(CancelOrderResponseSchema, { orderId: "o", status: "Gone" })).toEqual([
      "status",
    ]);
  });
});
