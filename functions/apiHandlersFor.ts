import type { InvocationContext } from "@azure/functions";
import { createInvocationLogger } from "../shared/adapters/logging/invocationLogger";
import { createApiHandlers, type ApiHandlers } from "../shared/composition/apiHandlers";
import { apiServices } from "../shared/composition/apiRoot";

/**
 * The Order API handlers for one invocation: the process's clients (built once), and the
 * invocation's log, so a handler's lines carry this invocation's function name and id.
 */
export function apiHandlersFor(context: InvocationContext): ApiHandlers {
  return createApiHandlers(apiServices(), createInvocationLogger(context));
}
