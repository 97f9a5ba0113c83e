import { SignalRConnectionInfoSchema } from "../contracts/live/orderStatusChanged";
import type { ApiHandler } from "./http/apiTypes";
import { jsonResponse } from "./http/apiTypes";
import { CustomerIdSchema, HEADERS } from "../contracts";
import { problem } from "./http/problems";
import { requireCustomer } from "./http/identity";

export interface NegotiateDeps {
  /**
   * The `signalRConnectionInfo` input binding's value for this invocation: the service URL
   * and a token whose user id the binding took from the caller's X-Customer-Id header.
   */
  readonly connectionInfo: () => unknown;
}

/**
 * POST /api/negotiate: the first leg of the serverless negotiate redirect. The
 * `@microsoft/signalr` client posts here (`withUrl("<host>/api")`), gets `{url, accessToken}`
 * and connects to Azure SignalR Service as the calling customer, so pushes sent to that
 * customer's user id reach only their pages.
 */
export function createNegotiateHandler(deps: NegotiateDeps): ApiHandler {
  return (request) => {
    const customerId = requireCustomer(request);
    // The binding made the connection for the X-Customer-Id header; in token mode the caller
    // is the token's subject, so the two must agree (APIM sets the header from the token).
    const bound = CustomerIdSchema.safeParse(request.headers.get(HEADERS.customerId));
    if (!bound.success || bound.data !== customerId) {
      throw problem(403, `${HEADERS.customerId} must name the caller the token identifies.`);
    }
    const info = SignalRConnectionInfoSchema.parse(deps.connectionInfo());
    return Promise.resolve(
      jsonResponse(
        200,
        { url: info.url, accessToken: info.accessToken },
        { "Cache-Control": "no-store" },
      ),
    );
  };
}
