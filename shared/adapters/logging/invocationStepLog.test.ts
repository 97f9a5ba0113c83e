import { recordingInvocation } from "./testing/recordingInvocation";
import { STEP_LINE_PREFIX, formatStepLine, parseStepLine } from "./stepLine";

const fields = {
  orderId: "o-1",
  correlationId: "c-1",
  step: "ReserveInventory",
  outcome: "Reserved",
  durationMs: 12,
};

describe("createInvocationStepLog", () => {
  it("writes info lines through the invocation context as the prefix and the JSON fields", () => {
    const invocation = recordingInvocation("inventoryWorker");
    invocation.log.info(fields);
    expect(invocation.lines).toEqual([
      { level: "information", message: `${STEP_LINE_PREFIX}${JSON.stringify(fields)}` },
    ]);
  });

  it("writes warn lines at warning level", () => {
    const invocation = recordingInvocation("sagaReplies");
    invocation.log.warn({ ...fields, outcome: "Dropped:finished" });
    expect(invocation.steps()).toEqual([
      { level: "warning", fields: { ...fields, outcome: "Dropped:finished" } },
    ]);
  });
});

describe("stepLine", () => {
  it("parses what it formats, leaving out undefined fields", () => {
    const line = formatStepLine({ ...fields, failureReason: undefined });
    expect(line).toBe(
      'OrderStep {"orderId":"o-1","correlationId":"c-1","step":"ReserveInventory","outcome":"Reserved","durationMs":12}',
    );
    expect(parseStepLine(line)).toEqual(fields);
  });

  it("refuses messages that are not step lines", () => {
    expect(parseStepLine("Executed 'Functions.x' (Succeeded)")).toBeUndefined();
    expect(parseStepLine(`${STEP_LINE_PREFIX}{not json`)).toBeUndefined();
    expect(parseStepLine(`${STEP_LINE_PREFIX}{"orderId":"o-1"}`)).toBeUndefined();
  });
});
