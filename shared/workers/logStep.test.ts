import { recordingInvocation } from "../adapters/logging/testing/recordingInvocation";
import { logStep } from "./logStep";

const command = { subject: "o-7", correlationid: "c-7", type: "CapturePayment" };

describe("logStep", () => {
  it("writes the step's outcome and its duration on the given clock to the given log", async () => {
    let ms = Date.parse("2026-01-01T00:00:00Z");
    const now = () => new Date(ms);
    const invocation = recordingInvocation("paymentWorker");
    await logStep(invocation.log, now, command, () => {
      ms += 42;
      return Promise.resolve("Captured");
    });
    expect(invocation.steps()).toEqual([
      {
        level: "information",
        fields: {
          orderId: "o-7",
          correlationId: "c-7",
          step: "CapturePayment",
          outcome: "Captured",
          durationMs: 42,
        },
      },
    ]);
  });

  it("writes nothing when the step throws (the platform logs the failed invocation)", async () => {
    const invocation = recordingInvocation("paymentWorker");
    await expect(
      logStep(
        invocation.log,
        () => new Date(0),
        command,
        () => Promise.reject(new Error("down")),
      ),
    ).rejects.toThrow("down");
    expect(invocation.lines).toEqual([]);
  });
});
