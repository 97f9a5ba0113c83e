import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import * as df from "durable-functions";
import { createInvocationStepLog } from "../shared/adapters/logging/invocationStepLog";
import type { ApiHandler } from "../shared/handlers/http/apiTypes";
import { withStepLine } from "../shared/handlers/http/withStepLine";
import { withTraceparent } from "../shared/saga/durableSagaInstances";
import { systemClock, type SagaControl } from "../shared/ports";

/**
 * Runs a shared/ handler on a Functions HTTP request (HttpRequest already fits ApiRequest),
 * and writes the call's step line through the invocation's context.
 */
export async function runHttp(
  handler: ApiHandler,
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const response = await withStepLine(handler, {
    step: `Api:${context.functionName}`,
    log: createInvocationStepLog(context),
    clock: systemClock,
  })(request);
  return {
    status: response.status,
    ...(response.headers === undefined ? {} : { headers: response.headers }),
    ...(response.body === undefined ? {} : { body: response.body }),
  };
}

/** The invocation's Durable client as the SagaControl port (instance id = order id). */
export function sagaControlOf(context: InvocationContext): SagaControl {
  return {
    async raiseEvent(orderId, eventName, payload) {
      try {
        await df.getClient(context).raiseEvent(orderId, eventName, withTraceparent(payload));
      } catch (error) {
        // The saga has not started yet (OrderPlaced still on its way): the request is already
        // recorded on the order, where the saga reads it when it starts.
        if (error instanceof Error && /No instance with ID/.test(error.message)) return;
        throw error;
      }
    },
  };
}
