import { createInvocationLogger } from "./invocationLogger";
import { recordingInvocation } from "./testing/recordingInvocation";

describe("createInvocationLogger", () => {
  it("writes each level through the invocation context, fields as JSON after the message", () => {
    const invocation = recordingInvocation("placeOrder");
    const logger = createInvocationLogger(invocation.context);
    logger.info("plain");
    logger.warn("OrderPlaced not published now", { eventId: "e-1" });
    logger.error("request failed", { error: "Error: boom" });
    expect(invocation.lines).toEqual([
      { level: "information", message: "plain" },
      { level: "warning", message: 'OrderPlaced not published now {"eventId":"e-1"}' },
      { level: "error", message: 'request failed {"error":"Error: boom"}' },
    ]);
  });
});
