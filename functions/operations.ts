import { app, type InvocationContext } from "@azure/functions";
import { createInvocationLogger } from "../shared/adapters/logging/invocationLogger";
import { buildOpenApiDocument } from "../shared/contracts/openapi/buildOpenApiDocument";
import { createOpenApiHandler } from "../shared/handlers/openApi";
import { createSwaggerUiHandler } from "../shared/handlers/swaggerUi";
import type { ApiHandler } from "../shared/handlers/http/apiTypes";
import { withProblemBoundary } from "../shared/handlers/http/problemBoundary";
import { apiHandlersFor } from "./apiHandlersFor";
import { runHttp } from "./httpBinding";

// These two need no client, so they are built here rather than through the composition root;
// the problem boundary is per invocation, so a failure is logged as part of the request.
const openApi = createOpenApiHandler({ buildDocument: buildOpenApiDocument });
const swaggerUi = createSwaggerUiHandler({ specUrl: "../openapi.json" });
const bounded = (handler: ApiHandler, context: InvocationContext) =>
  withProblemBoundary(handler, createInvocationLogger(context));

app.http("health", {
  route: "health",
  methods: ["GET"],
  authLevel: "function",
  handler: (request, context) => runHttp(apiHandlersFor(context).health, request, context),
});

app.http("openApiDocument", {
  route: "openapi.json",
  methods: ["GET"],
  authLevel: "function",
  handler: (request, context) => runHttp(bounded(openApi, context), request, context),
});

app.http("swaggerUi", {
  route: "docs/{*path}",
  methods: ["GET"],
  authLevel: "function",
  handler: (request, context) => runHttp(bounded(swaggerUi, context), request, context),
});
