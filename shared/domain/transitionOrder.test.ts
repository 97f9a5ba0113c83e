import { isDomainError } from "./domainError";
import { InvalidFailureReasonError, InvalidTransitionError } from "./orderErrors";
import { ORDER_STATUSES, ORDER_TRANSITIONS } from "./orderStatus";
import type { OrderFailureReason, OrderStatus } from "./orderStatus";
import { anOrder, steppingClock } from "./testing/orderBuilders";
import {
  completeCancellation,
  confirmOrder,
  deliverOrder,
  endUnfulfilled,
  failOrder,
  markInventoryReserved,
  markPaymentAuthorized,
  requestCancellation,
  shipOrder,
  transitionOrder,
} from "./transitionOrder";

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
