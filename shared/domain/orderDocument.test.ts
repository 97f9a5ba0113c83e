import type { Order } from "./order";
import { orderFromDocument, orderToDocument } from "./orderDocument";
import { ORDER_STATUSES } from "./orderStatus";
import { aMoney, anOrder } from "./testing/orderBuilders";

describe("documents", () => {
  it.each(ORDER_STATUSES)("round-trip a %s order", (status) => {
    const order = anOrder(status);
    expect(orderFromDocument(JSON.parse(JSON.stringify(orderToDocument(order))))).toEqual(order);
  });

  it("drop storage fields such as _etag", () => {
    const order = anOrder();
    expect(orderFromDocument({ ...order, _etag: "x", id: order.orderId })).toEqual(order);
  });

  it.each<[string, (order: Order) => unknown, string]>([
    ["a bad status", (o) => ({ ...o, status: "Lost" }), "status"],
    ["a float price", (o) => ({ ...o, total: { amount: 1.5, currency: "USD" } }), "total.amount"],
    ["a wrong total", (o) => ({ ...o, total: aMoney({ amount: 1 }) }), "total is not the sum"],
    [
      "a wrong line total",
      (o) => ({ ...o, items: [{ ...o.items[0], lineTotal: aMoney({ amount: 1 }) }] }),
      "wrong line total",
    ],
    ["a timeline ending elsewhere", (o) => ({ ...o, status: "Failed" }), "timeline does not end"],
  ])("refuse %s", (_label, corrupt, mention) => {
    expect(() => orderFromDocument(corrupt(anOrder()))).toThrow(mention);
  });
});
