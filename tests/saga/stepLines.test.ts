/**
 * The step lines through the real local host: an API call, a worker step and a saga step (an
 * activity) are written through their invocation's context, so the host prints them with the function
 * name and the invocation id, as text or as JSON per LOG_FORMAT, and the id is the one the
 * host reports the invocation under.
 */
import { CORRELATION_ID_HEADER } from "../../shared/contracts/http/common";
import { aCreateOrderRequest } from "../../shared/contracts/testing/httpBuilders";
import { SAGA_ACTIVITIES } from "../../shared/saga/names";
import type { StepFields } from "../../shared/ports/stepLog";
import { hostStepLineOf, isUuid, type HostStepLine } from "../support/hostStepLines";
import { startTestStack, type TestStack } from "../support/testStack";

// One set of stand-ins; each test starts its own host with its LOG_FORMAT.
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ host: false });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

/** A host output line that is a step line the app wrote, in the given format, or undefined. */
function stepLineOf(format: "text" | "json", line: string): HostStepLine | undefined {
  const parsed = hostStepLineOf(format, line);
  // A JSON line says who wrote it: only the app's own ("user") lines, under an invocation id.
  if (format === "json" && (parsed?.category !== "user" || !isUuid(parsed.invocationId)))
    return undefined;
  return parsed;
}

async function placeOrder(correlationId: string): Promise<string> {
  const result = await stack.api.postOrder("step-lines", aCreateOrderRequest(), {
    [CORRELATION_ID_HEADER]: correlationId,
  });
  // The body rides along so that a failure shows the problem the API answered with.
  expect({ status: result.status, body: result.json }).toMatchObject({ status: 202 });
  return result.json.orderId as string;
}

describe.each(["text", "json"] as const)("step lines with LOG_FORMAT=%s", (format) => {
  it("carry the writing function and its invocation id: an API call, a worker step, a saga step", async () => {
    const host = await stack.restartHost({ LOG_FORMAT: format });
    try {
      const correlationId = `step-lines-${format}`;
      const orderId = await placeOrder(correlationId);
      const find = (fn: string, wanted: (fields: StepFields) => boolean) => (line: string) => {
        const parsed = stepLineOf(format, line);
        return parsed?.fn === fn && parsed.fields.orderId === orderId && wanted(parsed.fields);
      };
      const worker = stepLineOf(
        format,
        await host.waitForLog(
          find("inventoryWorker", (f) => f.step === "ReserveInventory"),
          60_000,
        ),
      )!;
      const saga = stepLineOf(
        format,
        await host.waitForLog(
          find(SAGA_ACTIVITIES.updateOrderStatus, (f) => f.status === "Confirmed"),
          60_000,
        ),
      )!;

      const api = stepLineOf(
        format,
        await host.waitForLog(
          find("placeOrder", (f) => f.step === "Api:placeOrder"),
          10_000,
        ),
      )!;
      expect(api.fields).toMatchObject({ orderId, correlationId, outcome: "202" });
      expect(worker).toMatchObject({
        level: format === "text" ? "INFO" : "information",
        fields: { orderId, correlationId, step: "ReserveInventory", outcome: "Reserved" },
      });
      expect(typeof worker.fields.durationMs).toBe("number");
      expect(saga.fields).toMatchObject({
        orderId,
        correlationId,
        step: "CapturePayment",
        status: "Confirmed",
        applied: true,
      });
      expect(saga.invocationId).not.toBe(worker.invocationId);
      // The id is the invocation's: the host reports that invocation under the same id.
      for (const { fn, invocationId } of [api, worker, saga]) {
        await host.waitForLog(
          (line) => line.includes(`Executed 'Functions.${fn}' (Succeeded, Id=${invocationId}`),
          10_000,
        );
      }
      // Nothing writes bare step JSON beside the host's lines any more.
      expect(host.lines.filter((l) => l.startsWith('{"orderId"'))).toEqual([]);
    } finally {
      await stack.stopHost();
    }
  }, 120_000);
});
