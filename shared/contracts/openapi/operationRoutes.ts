import type { RouteConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { HealthResponseSchema } from "../http";
import { json } from "./openApiResponses";

/** The operations routes: health, this document, and its Swagger UI page. */
export const OPERATION_ROUTES: readonly RouteConfig[] = [
  {
    method: "get",
    path: "/api/health",
    operationId: "health",
    tags: ["Operations"],
    summary: "Health of Cosmos DB, Service Bus and storage",
    responses: {
      200: json("Every check passed.", HealthResponseSchema),
      503: json("At least one check failed; the failing ones are marked.", HealthResponseSchema),
    },
  },
  {
    method: "get",
    path: "/api/openapi.json",
    operationId: "openApiDocument",
    tags: ["Operations"],
    summary: "This document",
    responses: {
      200: json("The OpenAPI 3.1 document.", z.looseObject({ openapi: z.string() })),
    },
  },
  {
    method: "get",
    path: "/api/docs",
    operationId: "apiDocs",
    tags: ["Operations"],
    summary: "Swagger UI over this document",
    responses: {
      200: { description: "An HTML page.", content: { "text/html": { schema: z.string() } } },
    },
  },
];
