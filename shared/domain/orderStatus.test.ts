import { statusesThatMoveTo } from "./transitionOrder";
import {
  MAY_HOLD_STATUSES,
  ORDER_STATUSES,
  ORDER_TRANSITIONS,
  TERMINAL_STATUSES,
  canTransition,
  isCancellable,
  isTerminalStatus,
} from "./orderStatus";

describe("the status machine table", () => {
  it("lets no transition leave a terminal status", () => {
    for (const status of TERMINAL_STATUSES) expect(ORDER_TRANSITIONS[status]).toEqual([]);
  });

  it("marks exactly Delivered, Cancelled and Failed terminal", () => {
    expect(ORDER_STATUSES.filter(isTerminalStatus)).toEqual(["Delivered", "Cancelled", "Failed"]);
  });

  it("accepts cancel before shipping only", () => {
    expect(ORDER_STATUSES.filter(isCancellable)).toEqual([
      "Pending",
      "InventoryReserved",
      "PaymentAuthorized",
      "Confirmed",
    ]);
  });

  it("counts Confirmed among the statuses that may hold stock again, Shipped not", () => {
    expect(MAY_HOLD_STATUSES).toEqual([
      "Pending",
      "InventoryReserved",
      "PaymentAuthorized",
      "Confirmed",
      "Cancelling",
    ]);
  });

  it("reads the table backwards for a status's possible previous ones", () => {
    expect(statusesThatMoveTo("Cancelling")).toEqual([
      "Pending",
      "InventoryReserved",
      "PaymentAuthorized",
      "Confirmed",
    ]);
    expect(statusesThatMoveTo("Cancelled")).toEqual(["Cancelling"]);
    expect(statusesThatMoveTo("Pending")).toEqual([]);
  });

  it("never allows staying in the same status", () => {
    for (const status of ORDER_STATUSES) expect(canTransition(status, status)).toBe(false);
  });

  it("reaches every terminal status from Pending", () => {
    const reached = new Set<string>(["Pending"]);
    const frontier = ["Pending" as const] as (typeof ORDER_STATUSES)[number][];
    while (frontier.length > 0) {
      const next = frontier.pop();
      for (const to of next ? ORDER_TRANSITIONS[next] : []) {
        if (!reached.has(to)) frontier.push(to);
        reached.add(to);
      }
    }
    expect([...reached].sort()).toEqual([...ORDER_STATUSES].sort());
  });
});
