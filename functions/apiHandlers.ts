import { createApiHandlers, type ApiHandlers } from "../shared/composition/apiHandlers";
import { apiServices } from "../shared/composition/apiRoot";

/** The Order API handlers of this process, built on first request. */
let handlers: ApiHandlers | undefined;

export function apiHandlers(): ApiHandlers {
  handlers ??= createApiHandlers(apiServices());
  return handlers;
}
