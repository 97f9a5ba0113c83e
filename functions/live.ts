import { app, input, type InvocationContext } from "@azure/functions";
import { createInvocationLogger } from "../shared/adapters/logging/invocationLogger";
import { CONNECTIONS, SIGNALR_HUB } from "../shared/config/names";
import { HEADERS } from "../shared/contracts";
import type { ApiHandler } from "../shared/handlers/http/apiTypes";
import { withProblemBoundary } from "../shared/handlers/http/problemBoundary";
import { createNegotiateHandler } from "../shared/handlers/negotiate";
import { createStorefrontHandler } from "../shared/handlers/storefront";
import { runHttp } from "./httpBinding";

/**
 * Live order status and the storefront page. `@azure/functions` has no SignalR helpers, so
 * the binding is declared generically, with the extension's own type name and properties. The
 * user id comes from the header API Management sets from the caller's token; a request
 * without the header fails at binding, before the function runs (a 500), as it does in Azure.
 */
const connectionInfo = input.generic({
  type: "signalRConnectionInfo",
  name: "connectionInfo",
  hubName: SIGNALR_HUB,
  connectionStringSetting: CONNECTIONS.signalR,
  userId: `{headers.${HEADERS.customerId.toLowerCase()}}`,
});

const bounded = (handler: ApiHandler, context: InvocationContext) =>
  withProblemBoundary(handler, createInvocationLogger(context));

app.http("negotiate", {
  route: "negotiate",
  methods: ["POST"],
  authLevel: "function",
  extraInputs: [connectionInfo],
  handler: (request, context) =>
    runHttp(
      bounded(
        createNegotiateHandler({ connectionInfo: () => context.extraInputs.get(connectionInfo) }),
        context,
      ),
      request,
      context,
    ),
});

let storefront: ApiHandler | undefined;

app.http("storefront", {
  route: "shop/{*path}",
  methods: ["GET"],
  authLevel: "function",
  handler: (request, context) => {
    storefront ??= createStorefrontHandler();
    return runHttp(bounded(storefront, context), request, context);
  },
});
