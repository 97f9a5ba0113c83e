/**
 * The step lines through the real local host: an API call, a worker step and a saga step (an
 * activity) are written through their invocation's context, so the host prints them with the function
 * name and the invocation id, as text or as JSON per LOG_FORMAT, and the id is the one the
 * host reports the invocation under.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseStepLine } from "../../shared/adapters/logging/stepLine";
import { CORRELATION_ID_HEADER } from "../../shared/contracts/http/common";
import { aCreateOrderRequest } from "../../shared/contracts/testing/httpBuilders";
import { SAGA_ACTIVITIES } from "../../shared/saga/names";
import type { StepFields } from "../../shared/ports/stepLog";
import {
  startHostProcess,
  startStandIns,
  type HostProcess,
  type RunningStandIns,
} from "@order-processing/local-runtime/testing";

let standIns: RunningStandIns;
let outbox: string;
beforeAll(async () => {
  standIns = await startStandIns();
  outbox = await mkdtemp(path.join(tmpdir(), "step-lines-outbox-"));
}, 120_000);
afterAll(async () => {
  await standIns?.stop();
  await rm(outbox, { recursive: true, force: true });
});

interface HostLine {
  readonly fn: string;
  readonly invocationId: string;
  readonly level: string;
  readonly fields: StepFields;
}

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const TEXT_LINE = new RegExp(`^\\S+Z (INFO |WARN ) \\[(\\w+)\\] \\((${UUID})\\) (OrderStep .*)$`);

/** A host output line that is a step line, in the given format, or undefined. */
function stepLineOf(format: "text" | "json", line: string): HostLine | undefined {
  if (format === "text") {
    const m = TEXT_LINE.exec(line);
    const fields = m ? parseStepLine(m[4]!) : undefined;
    return m && fields
      ? { level: m[1]!.trim(), fn: m[2]!, invocationId: m[3]!, fields }
      : undefined;
  }
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const fields = typeof entry.message === "string" ? parseStepLine(entry.message) : undefined;
  if (!fields || entry.category !== "user" || typeof entry.invocationId !== "string")
    return undefined;
  if (!new RegExp(`^${UUID}$`).test(entry.invocationId)) return undefined;
  return {
    level: String(entry.level),
    fn: String(entry.function),
    invocationId: entry.invocationId,
    fields,
  };
}

async function placeOrder(host: HostProcess, correlationId: string): Promise<string> {
  const response = await fetch(`${host.baseUrl}/api/orders`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Customer-Id": "step-lines",
      [CORRELATION_ID_HEADER]: correlationId,
    },
    body: JSON.stringify(aCreateOrderRequest()),
  });
  const body = (await response.json()) as { orderId?: string };
  // The body rides along so that a failure shows the problem the API answered with.
  expect({ status: response.status, body }).toMatchObject({ status: 202 });
  return body.orderId!;
}

describe.each(["text", "json"] as const)("step lines with LOG_FORMAT=%s", (format) => {
  it("carry the writing function and its invocation id: an API call, a worker step, a saga step", async () => {
    const host = await startHostProcess({
      env: { ...standIns.settings, EMAIL_OUTBOX_DIR: outbox, LOG_FORMAT: format },
      readyTimeoutMs: 60_000,
    });
    try {
      const correlationId = `step-lines-${format}`;
      const orderId = await placeOrder(host, correlationId);
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
      await host.stop();
    }
  }, 120_000);
});
