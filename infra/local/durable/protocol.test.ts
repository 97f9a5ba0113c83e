import { ActionType, HistoryEventType } from "./protocol";

/* eslint-disable @typescript-eslint/no-require-imports */
const pkgHistory = require("durable-functions/lib/src/history/HistoryEventType") as {
  HistoryEventType: Record<string, number>;
};
const pkgActions = require("durable-functions/lib/src/actions/ActionType") as {
  ActionType: Record<string, number>;
};
/* eslint-enable @typescript-eslint/no-require-imports */

describe("protocol", () => {
  it("uses the history event numbers of durable-functions", () => {
    for (const [name, value] of Object.entries(HistoryEventType)) {
      expect(pkgHistory.HistoryEventType[name]).toBe(value);
    }
  });

  it("uses the action numbers of durable-functions", () => {
    for (const [name, value] of Object.entries(ActionType)) {
      expect(pkgActions.ActionType[name]).toBe(value);
    }
  });
});
