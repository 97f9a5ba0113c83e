import { CORRELATION_ID_HEADER } from "../../contracts/http/common";
import { CorrelationIdSchema } from "../../contracts/http/common";
import type { Clock } from "../../ports/clock";
import type { StepLog } from "../../ports/stepLog";
import type { ApiHandler } from "./apiTypes";

export interface StepLineOptions {
  /** e.g. `Api:placeOrder`: the function's name, so API steps group apart from saga steps. */
  readonly step: string;
  readonly log: StepLog;
  readonly clock: Clock;
}

/**
 * One step line per API call, after the problem boundary answered: outcome = the HTTP status
 * (a warning from 500 on), orderId = the route's, or the new order's (its Location), and
 * correlationId = the one the API echoed, else the caller's if valid. Lines of calls that
 * concern no order have an empty orderId.
 */
export function withStepLine(handler: ApiHandler, options: StepLineOptions): ApiHandler {
  const { step, log, clock } = options;
  return async (request) => {
    const started = clock.now().getTime();
    const response = await handler(request);
    const headers = response.headers ?? {};
    const caller = CorrelationIdSchema.safeParse(request.headers.get(CORRELATION_ID_HEADER));
    const fields = {
      orderId: request.params.orderId ?? orderIdOf(headers.Location) ?? "",
      correlationId: headers[CORRELATION_ID_HEADER] ?? (caller.success ? caller.data : ""),
      step,
      outcome: String(response.status),
      durationMs: clock.now().getTime() - started,
    };
    if (response.status >= 500) log.warn(fields);
    else log.info(fields);
    return response;
  };
}

/** The order id of `/api/orders/{orderId}` (placeOrder's Location). */
function orderIdOf(location: string | undefined): string | undefined {
  const match = location === undefined ? null : /\/orders\/([^/?#]+)$/.exec(location);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
}
