import type { DurableClient } from "durable-functions";
import { ORDER_SAGA } from "./names";
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
        await client.startNew(ORDER_SAGA, { instanceId: orderId, input });
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
        await client.raiseEvent(orderId, eventName, data);
        return "raised";
      } catch (error) {
        if (isNotFound(error)) return "absent";
        throw error;
      }
    },
  };
}
