import {
  InvalidFailureReasonError,
  InvalidOrderError,
  InvalidTimestampError,
  InvalidTransitionError,
  UnknownSkuError,
  completeCancellation,
  confirmOrder,
  createOrder,
  deliverOrder,
  endUnfulfilled,
  failOrder,
  markInventoryReserved,
  markPaymentAuthorized,
  orderFromDocument,
  orderToDocument,
  requestCancellation,
  shipOrder,
  transitionOrder,
} from "./order";
import type { Order } from "./order";
import { ORDER_STATUSES, ORDER_TRANSITIONS } from "./orderStatus";
import type { OrderFailureReason, OrderStatus } from "./orderStatus";
import { isDomainError } from "./domainError";
import {
  T0,
  aCatalogPrice,
  aMoney,
  aNewOrder,
  anOrder,
  steppingClock,
} from "./testing/orderBuilders";

const LATER = new Date("2026-01-02T00:00:00.000Z");

/** The reason a transition into `to` needs, if any. */
function reasonFor(to: OrderStatus): OrderFailureReason | undefined {
  if (to === "Failed") return "PaymentDeclined";
  if (to === "Cancelling") return "CancelledByOperator";
  return undefined;
}

const allPairs = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => ({ from, to })));
const allowed = allPairs.filter(({ from, to }) => ORDER_TRANSITIONS[from].includes(to));
const refused = allPairs.filter(({ from, to }) => !ORDER_TRANSITIONS[from].includes(to));

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

describe("transitionOrder: every allowed transition", () => {
  it.each(allowed)("$from -> $to", ({ from, to }) => {
    const before = anOrder(from);
    const after = transitionOrder(before, to, LATER, reasonFor(to));
    expect(after.status).toBe(to);
    expect(after.updatedAt).toBe(LATER.toISOString());
    expect(after.timeline).toEqual([...before.timeline, { at: LATER.toISOString(), status: to }]);
  });
});

describe("transitionOrder: every refused transition", () => {
  it.each(refused)("$from -> $to", ({ from, to }) => {
    const before = anOrder(from);
    let thrown: unknown;
    try {
      transitionOrder(before, to, LATER, reasonFor(to));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidTransitionError);
    expect(isDomainError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ code: "InvalidTransition", from, to });
  });

  it("covers the whole status matrix", () => {
    expect(allowed.length + refused.length).toBe(ORDER_STATUSES.length ** 2);
    expect(allowed.length).toBe(13);
  });
});

describe("reasons", () => {
  it("records the failure reason on Failed", () => {
    expect(failOrder(anOrder("Pending"), "OutOfStock", LATER).failureReason).toBe("OutOfStock");
  });

  it("records the cancellation reason at Cancelling and keeps it at Cancelled", () => {
    const cancelling = requestCancellation(anOrder("Confirmed"), "CancelledByCustomer", LATER);
    expect(cancelling.failureReason).toBe("CancelledByCustomer");
    expect(completeCancellation(cancelling, LATER).failureReason).toBe("CancelledByCustomer");
  });

  it.each([
    ["Failed", undefined],
    ["Failed", "CancelledByCustomer"],
    ["Cancelling", undefined],
    ["Cancelling", "OutOfStock"],
    ["InventoryReserved", "OutOfStock"],
  ] as const)("refuses entering %s with reason %p", (to, reason) => {
    expect(() => transitionOrder(anOrder("Pending"), to, LATER, reason)).toThrow(
      InvalidFailureReasonError,
    );
  });
});

describe("named steps", () => {
  it("walk the happy path with an ordered timeline", () => {
    const clock = steppingClock(LATER);
    const steps = [
      markInventoryReserved,
      markPaymentAuthorized,
      confirmOrder,
      shipOrder,
      deliverOrder,
    ];
    const order = steps.reduce((current, step) => step(current, clock()), anOrder("Pending"));
    expect(order.timeline.map((entry) => entry.status)).toEqual([
      "Pending",
      "InventoryReserved",
      "PaymentAuthorized",
      "Confirmed",
      "Shipped",
      "Delivered",
    ]);
    expect(order.failureReason).toBeNull();
  });

  it("treat a repeated cancel request as already accepted", () => {
    const cancelling = anOrder("Cancelling");
    expect(requestCancellation(cancelling, "CancelledByOperator", LATER)).toBe(cancelling);
  });

  it.each(["Pending", "InventoryReserved", "PaymentAuthorized"] as const)(
    "end an unfulfilled %s order Failed with its reason",
    (status) => {
      const ended = endUnfulfilled(anOrder(status), "PaymentTimeout", LATER);
      expect(ended).toMatchObject({ status: "Failed", failureReason: "PaymentTimeout" });
    },
  );

  it("end an unfulfilled order whose cancel was accepted meanwhile Cancelled", () => {
    const ended = endUnfulfilled(anOrder("Cancelling"), "OutOfStock", LATER);
    expect(ended).toMatchObject({ status: "Cancelled", failureReason: "CancelledByCustomer" });
  });

  it.each(["Confirmed", "Shipped", "Delivered", "Cancelled", "Failed"] as const)(
    "refuse to end a %s order as unfulfilled",
    (status) => {
      expect(() => endUnfulfilled(anOrder(status), "OutOfStock", LATER)).toThrow(
        InvalidTransitionError,
      );
    },
  );

  it.each(["Shipped", "Delivered", "Cancelled", "Failed"] as const)(
    "refuse cancelling a %s order",
    (status) => {
      expect(() => requestCancellation(anOrder(status), "CancelledByCustomer", LATER)).toThrow(
        InvalidTransitionError,
      );
    },
  );

  it("never change the order they are given", () => {
    const before = anOrder("Pending");
    const snapshot = structuredClone(before);
    markInventoryReserved(before, LATER);
    failOrder(before, "InventoryTimeout", LATER);
    expect(before).toEqual(snapshot);
  });
});

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
