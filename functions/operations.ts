import { app } from "@azure/functions";
import { buildOpenApiDocument } from "../shared/contracts/openapi/buildOpenApiDocument";
import { createOpenApiHandler } from "../shared/handlers/openApi";
import { createSwaggerUiHandler } from "../shared/handlers/swaggerUi";
import { withProblemBoundary } from "../shared/handlers/http/problemBoundary";
import { apiHandlers } from "./apiHandlers";
import { runHttp } from "./httpBinding";

const consoleLogger = {
  error: (message: string, fields?: Record<string, unknown>) => console.error(message, fields),
};

// These two need no client, so they are built here rather than through the composition root.
const openApi = withProblemBoundary(
  createOpenApiHandler({ buildDocument: buildOpenApiDocument }),
  consoleLogger,
);
const swaggerUi = withProblemBoundary(
  createSwaggerUiHandler({ specUrl: "../openapi.json" }),
  consoleLogger,
);

app.http("health", {
  route: "health",
  methods: ["GET"],
  authLevel: "function",
  handler: (request) => runHttp(apiHandlers().health, request),
});

app.http("openApiDocument", {
  route: "openapi.json",
  methods: ["GET"],
  authLevel: "function",
  handler: (request) => runHttp(openApi, request),
});

app.http("swaggerUi", {
  route: "docs/{*path}",
  methods: ["GET"],
  authLevel: "function",
  handler: (request) => runHttp(swaggerUi, request),
});
