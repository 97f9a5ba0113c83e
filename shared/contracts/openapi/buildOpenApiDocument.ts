import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  zodToOpenAPIRegistry,
} from "@asteasolutions/zod-to-openapi";
import type { RouteConfig, ResponseConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import {
  MoneySchema,
  OrderLineSchema,
  ShippingAddressSchema,
  TimelineEntrySchema,
} from "../../domain";
import {
  CORRELATION_ID_HEADER,
  CreateOrderRequestSchema,
  CreateOrderResponseSchema,
  CustomerIdSchema,
  HEADERS,
  HealthResponseSchema,
  IdempotencyKeySchema,
  InventoryLevelSchema,
  ListOrdersQuerySchema,
  ListProductsQuerySchema,
  OrderIdParamsSchema,
  OrderListResponseSchema,
  OrderResponseSchema,
  OrderStatusResponseSchema,
  PROBLEM_CONTENT_TYPE,
  ProblemDetailsSchema,
  ProductListResponseSchema,
  ProductSchema,
  SetInventoryRequestSchema,
  SkuParamsSchema,
} from "../http";
import { SignalRConnectionInfoSchema } from "../live/orderStatusChanged";

/**
 * The OpenAPI 3.1 document of docs/http-api.md, generated from the same zod schemas the handlers
 * validate with, so the two cannot drift. `npm run openapi` writes it to openapi.json;
 * the API serves it at GET /api/openapi.json.
 */

/** Component names of the schemas that appear in many places. */
const COMPONENTS: readonly [string, z.ZodType][] = [
  ["Money", MoneySchema],
  ["ShippingAddress", ShippingAddressSchema],
  ["OrderLine", OrderLineSchema],
  ["TimelineEntry", TimelineEntrySchema],
  ["CreateOrderRequest", CreateOrderRequestSchema],
  ["CreateOrderResponse", CreateOrderResponseSchema],
  ["Order", OrderResponseSchema],
  ["OrderList", OrderListResponseSchema],
  ["OrderStatusResponse", OrderStatusResponseSchema],
  ["Product", ProductSchema],
  ["ProductList", ProductListResponseSchema],
  ["SetInventoryRequest", SetInventoryRequestSchema],
  ["InventoryLevel", InventoryLevelSchema],
  ["HealthResponse", HealthResponseSchema],
  ["SignalRConnectionInfo", SignalRConnectionInfoSchema],
  ["ProblemDetails", ProblemDetailsSchema],
];

let componentsNamed = false;

/**
 * Gives the shared schemas their component names, so every nested use becomes a `$ref`.
 * `registry.register()` and `.openapi(id)` would name a copy, leaving the instances nested
 * in other schemas anonymous; writing the library's own metadata registry names the
 * instances themselves, without touching zod's global registry or prototypes. Done once.
 */
function nameComponents(): void {
  if (componentsNamed) return;
  for (const [refId, schema] of COMPONENTS) {
    zodToOpenAPIRegistry.add(schema, { _internal: { refId } });
  }
  componentsNamed = true;
}

const problem = (description: string): ResponseConfig => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemDetailsSchema } },
});

const json = (description: string, schema: z.ZodType): ResponseConfig => ({
  description,
  content: { "application/json": { schema } },
});

const idempotencyKeyHeader = IdempotencyKeySchema.meta({
  description:
    "Makes the request safe to retry: the same key with the same body returns the first answer; with another body, 409.",
});
const customerIdHeader = CustomerIdSchema.meta({
  description: "The caller. Set by API Management from the token subject; locally by the caller.",
});
const rolesHeader = z.string().meta({
  description: 'Comma-separated app roles, set by API Management; "admin" marks an operator.',
});

const CustomerHeadersSchema = z.object({
  [HEADERS.customerId]: customerIdHeader,
  [HEADERS.roles]: rolesHeader.optional(),
});
const AdminHeadersSchema = z.object({
  [HEADERS.customerId]: customerIdHeader.optional(),
  [HEADERS.roles]: rolesHeader,
});
const CreateOrderHeadersSchema = z.object({
  [HEADERS.idempotencyKey]: idempotencyKeyHeader.optional(),
  [HEADERS.customerId]: customerIdHeader,
});

const badRequest = problem(
  "Validation failed: malformed JSON, unknown or invalid fields (see `errors`).",
);
const unauthorized = problem(`No ${HEADERS.customerId} header.`);
const forbidden = problem("The caller lacks the admin role.");
const orderNotFound = problem("No such order, or it belongs to another customer.");
const unsupportedMediaType = problem("The body is not application/json.");
const tooLarge = problem("The body is larger than 64 KiB.");

const ROUTES: RouteConfig[] = [
  {
    method: "post",
    path: "/api/orders",
    operationId: "createOrder",
    tags: ["Orders"],
    summary: "Place an order",
    description: "Prices the lines from the catalog and starts the order saga.",
    request: {
      headers: CreateOrderHeadersSchema,
      body: {
        required: true,
        content: { "application/json": { schema: CreateOrderRequestSchema } },
      },
    },
    responses: {
      202: {
        ...json("Accepted; the order is Pending.", CreateOrderResponseSchema),
        headers: z.object({
          Location: z.string().meta({ description: "/api/orders/{orderId}" }),
          [CORRELATION_ID_HEADER]: z.string().meta({
            description:
              "The correlation id every message of this order carries: the request's own (set by API Management), else the OrderPlaced event id.",
          }),
        }),
      },
      400: badRequest,
      401: unauthorized,
      409: problem("The Idempotency-Key was used before with another body."),
      413: tooLarge,
      415: unsupportedMediaType,
      422: problem(
        "A SKU is not in the catalog (named in `detail` and `errors`), or not sold in this currency.",
      ),
    },
  },
  {
    method: "get",
    path: "/api/orders",
    operationId: "listOrders",
    tags: ["Orders"],
    summary: "List the caller's orders, newest first",
    request: { headers: CustomerHeadersSchema, query: ListOrdersQuerySchema },
    responses: {
      200: json("A page of orders.", OrderListResponseSchema),
      400: badRequest,
      401: unauthorized,
    },
  },
  {
    method: "get",
    path: "/api/orders/{orderId}",
    operationId: "getOrder",
    tags: ["Orders"],
    summary: "Read one order",
    description: "A customer reads their own orders; an admin reads any.",
    request: { headers: CustomerHeadersSchema, params: OrderIdParamsSchema },
    responses: {
      200: json("The order.", OrderResponseSchema),
      401: unauthorized,
      404: orderNotFound,
    },
  },
  {
    method: "post",
    path: "/api/orders/{orderId}/cancel",
    operationId: "cancelOrder",
    tags: ["Orders"],
    summary: "Request cancellation",
    description:
      "The order passes through Cancelling to Cancelled; a Confirmed order is refunded and restocked. An admin may cancel any order (CancelledByOperator).",
    request: { headers: CustomerHeadersSchema, params: OrderIdParamsSchema },
    responses: {
      202: json("Cancellation requested.", OrderStatusResponseSchema),
      401: unauthorized,
      404: orderNotFound,
      409: problem("The order is already Shipped, Delivered, Cancelled or Failed."),
    },
  },
  {
    method: "post",
    path: "/api/orders/{orderId}/ship",
    operationId: "shipOrder",
    tags: ["Orders", "Operations"],
    summary: "Mark a Confirmed order Shipped (admin)",
    request: { headers: AdminHeadersSchema, params: OrderIdParamsSchema },
    responses: {
      202: json(
        "Accepted: the saga moves the order to Shipped and emails the customer; the body shows the status at acceptance.",
        OrderStatusResponseSchema,
      ),
      401: unauthorized,
      403: forbidden,
      404: orderNotFound,
      409: problem("The order is not Confirmed."),
    },
  },
  {
    method: "post",
    path: "/api/orders/{orderId}/deliver",
    operationId: "deliverOrder",
    tags: ["Orders", "Operations"],
    summary: "Mark a Shipped order Delivered (admin)",
    request: { headers: AdminHeadersSchema, params: OrderIdParamsSchema },
    responses: {
      202: json(
        "Accepted: the saga moves the order to Delivered and emails the customer; the body shows the status at acceptance.",
        OrderStatusResponseSchema,
      ),
      401: unauthorized,
      403: forbidden,
      404: orderNotFound,
      409: problem("The order is not Shipped."),
    },
  },
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
  {
    method: "post",
    path: "/api/negotiate",
    operationId: "negotiate",
    tags: ["Live status"],
    summary: "Connect to live order status (Azure SignalR Service)",
    description:
      "The first leg of the serverless negotiate redirect: `new HubConnectionBuilder().withUrl('<base>/api')` posts here, then connects to the returned URL with the token, as the caller. Every status change of the caller's orders then arrives as `orderStatusChanged` with one argument `{ orderId, status, failureReason, at, updatedAt }`.",
    request: { headers: CustomerHeadersSchema },
    responses: {
      200: json("Where to connect, and a token for the caller.", SignalRConnectionInfoSchema),
      401: problem(`The ${HEADERS.customerId} header is not a customer id.`),
    },
  },
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
