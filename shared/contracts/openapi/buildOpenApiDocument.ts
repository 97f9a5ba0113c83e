import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { CATALOG_ROUTES } from "./catalogRoutes";
import { LIVE_ROUTES } from "./liveRoutes";
import { COMPONENTS, nameComponents } from "./openApiComponents";
import { OPERATION_ROUTES } from "./operationRoutes";
import { ORDER_ROUTES } from "./orderRoutes";

/**
 * The OpenAPI 3.1 document of docs/http-api.md, generated from the same zod schemas the handlers
 * validate with, so the two cannot drift. `npm run openapi` writes it to openapi.json;
 * the API serves it at GET /api/openapi.json.
 */

/** In the document's order: the paths are listed as they are registered. */
const ROUTES = [...ORDER_ROUTES, ...CATALOG_ROUTES, ...LIVE_ROUTES, ...OPERATION_ROUTES];

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31["generateDocument"]>;

/** Builds the OpenAPI 3.1 document of the HTTP API. Pure apart from naming components once. */
export function buildOpenApiDocument(): OpenApiDocument {
  nameComponents();
  const registry = new OpenAPIRegistry();
  for (const route of ROUTES) registry.registerPath(route);
  // Documented, not required per operation: API Management enforces both, and a top-level
  // requirement would make the gateway import treat the function key as a subscription key.
  registry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description:
      "An Entra ID access token; API Management validates it (validate-jwt) and derives the identity headers from its claims.",
  });
  registry.registerComponent("securitySchemes", "functionKey", {
    type: "apiKey",
    in: "header",
    name: "x-functions-key",
    description:
      "The Function App's host key. API Management adds it on the way to the backend; callers through the gateway never send it.",
  });
  // Components are passed as schemas: their names come from nameComponents().
  const schemas = COMPONENTS.map(([, schema]) => schema);
  return new OpenApiGeneratorV31([...registry.definitions, ...schemas]).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Order processing API",
      version: "1.0.0",
      description:
        "Accepts, reads, lists and cancels orders; each order is run as a saga over Service Bus. Errors are RFC 9457 application/problem+json.",
    },
  });
}

/** The document as the committed file holds it: stable key order, two-space indent, final newline. */
export function renderOpenApiDocument(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}
