import type { DurableClient } from "durable-functions";
import { activeTraceparent } from "../telemetry/traceparent";
import { ORDER_SAGA } from "./names";
import type { SagaInput } from "./sagaTypes";
import type { SagaInstances, SagaInstanceState } from "./sagaInstances";

const FINISHED = new Set(["Completed", "Failed", "Terminated", "Canceled"]);

/** durable-functions reports an unknown instance as an Error whose text names the 404. */
function isNotFound(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return /\b404\b|No instance with ID/i.test(text);
}

function isConflict(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return /\b409\b|already exists/i.test(text);
}

/**
 * Durable Functions for JavaScript carries no trace context across its boundary, so the
 * trace rides in the inputs: the saga's start names the starter's span, and a raised
 * event's data names the span that raised it (the orchestrator's episode span takes it as
 * its parent; the saga reads replies' data loosely, so the extra field changes nothing).
 */
function inTrace(input: SagaInput): SagaInput {
  const traceparent = activeTraceparent();
  return traceparent === undefined ? input : { ...input, trace: { ...input.trace, traceparent } };
}

export function withTraceparent(data: unknown): unknown {
  const traceparent = activeTraceparent();
  if (traceparent === undefined || typeof data !== "object" || data === null || Array.isArray(data))
    return data;
  return { ...data, traceparent };
}

export function createDurableSagaInstances(client: DurableClient): SagaInstances {
  async function state(orderId: string): Promise<SagaInstanceState> {
    try {
      const status = await client.getStatus(orderId, { showInput: false });
      return FINISHED.has(String(status.runtimeStatus)) ? "finished" : "running";
    } catch (error) {
      if (isNotFound(error)) return "absent";
      throw error;
    }
  }

  return {
    state,
    async start(orderId, input) {
      if ((await state(orderId)) !== "absent") return "exists";
      try {
        await client.startNew(ORDER_SAGA, { instanceId: orderId, input: inTrace(input) });
        return "started";
      } catch (error) {
        // Two deliveries of one OrderPlaced raced past the check; the other one started it.
        if (isConflict(error)) return "exists";
        throw error;
      }
    },
    async raise(orderId, eventName, data) {
      const current = await state(orderId);
      if (current !== "running") return current;
      try {
        await client.raiseEvent(orderId, eventName, withTraceparent(data));
        return "raised";
      } catch (error) {
        if (isNotFound(error)) return "absent";
        throw error;
      }
    },
  };
}
