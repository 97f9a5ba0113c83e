import type { RouteConfig } from "@asteasolutions/zod-to-openapi";
import {
  InventoryLevelSchema,
  ListProductsQuerySchema,
  ProductListResponseSchema,
  ProductSchema,
  SetInventoryRequestSchema,
  SkuParamsSchema,
} from "../http";
import {
  AdminHeadersSchema,
  badRequest,
  forbidden,
  json,
  problem,
  tooLarge,
  unauthorized,
  unsupportedMediaType,
} from "./openApiResponses";

/** The catalog routes: list and read products, and the operator's stock level. */
export const CATALOG_ROUTES: readonly RouteConfig[] = [
  {
    method: "get",
    path: "/api/products",
    operationId: "listProducts",
    tags: ["Catalog"],
    summary: "List the catalog",
    request: { query: ListProductsQuerySchema },
    responses: {
      200: json("A page of products.", ProductListResponseSchema),
      400: badRequest,
    },
  },
  {
    method: "get",
    path: "/api/products/{sku}",
    operationId: "getProduct",
    tags: ["Catalog"],
    summary: "Read one product",
    request: { params: SkuParamsSchema },
    responses: {
      200: json("The product.", ProductSchema),
      400: badRequest,
      404: problem("No such SKU."),
    },
  },
  {
    method: "put",
    path: "/api/inventory/{sku}",
    operationId: "setInventory",
    tags: ["Catalog", "Operations"],
    summary: "Set on-hand stock (admin)",
    request: {
      headers: AdminHeadersSchema,
      params: SkuParamsSchema,
      body: {
        required: true,
        content: { "application/json": { schema: SetInventoryRequestSchema } },
      },
    },
    responses: {
      200: json("The stock counters after the change.", InventoryLevelSchema),
      400: badRequest,
      401: unauthorized,
      403: forbidden,
      404: problem("No such SKU."),
      413: tooLarge,
      415: unsupportedMediaType,
      422: problem("The new stock is below reserved + committed."),
    },
  },
];
