import { SignalRConnectionInfoSchema } from "../contracts/live/orderStatusChanged";
import type { ApiHandler } from "./http/apiTypes";
import { jsonResponse } from "./http/apiTypes";
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
    requireCustomer(request);
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
