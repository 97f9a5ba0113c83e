import type { RouteConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import {
  CORRELATION_ID_HEADER,
  CreateOrderRequestSchema,
  CreateOrderResponseSchema,
  ListOrdersQuerySchema,
  OrderIdParamsSchema,
  OrderListResponseSchema,
  OrderResponseSchema,
  OrderStatusResponseSchema,
} from "../http";
import {
  AdminHeadersSchema,
  CreateOrderHeadersSchema,
  CustomerHeadersSchema,
  badRequest,
  forbidden,
  json,
  orderNotFound,
  problem,
  tooLarge,
  unauthorized,
  unsupportedMediaType,
} from "./openApiResponses";

/** The order routes: place, list, read, cancel, and the operator's ship and deliver. */
export const ORDER_ROUTES: readonly RouteConfig[] = [
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
  operatorStepRoute("ship", "Confirmed", "Shipped"),
  operatorStepRoute("deliver", "Shipped", "Delivered"),
];

/** POST /api/orders/{orderId}/ship or /deliver: an operator moves the order one stage on. */
function operatorStepRoute(step: "ship" | "deliver", from: string, to: string): RouteConfig {
  return {
    method: "post",
    path: `/api/orders/{orderId}/${step}`,
    operationId: `${step}Order`,
    tags: ["Orders", "Operations"],
    summary: `Mark a ${from} order ${to} (admin)`,
    request: { headers: AdminHeadersSchema, params: OrderIdParamsSchema },
    responses: {
      202: json(
        `Accepted: the saga moves the order to ${to} and emails the customer; the body shows the status at acceptance.`,
        OrderStatusResponseSchema,
      ),
      401: unauthorized,
      403: forbidden,
      404: orderNotFound,
      409: problem(`The order is not ${from}.`),
    },
  };
}
