import { zodToOpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { z } from "zod";
import {
  MoneySchema,
  OrderLineSchema,
  ShippingAddressSchema,
  TimelineEntrySchema,
} from "../../domain";
import {
  CreateOrderRequestSchema,
  CreateOrderResponseSchema,
  HealthResponseSchema,
  InventoryLevelSchema,
  OrderListResponseSchema,
  OrderResponseSchema,
  OrderStatusResponseSchema,
  ProblemDetailsSchema,
  ProductListResponseSchema,
  ProductSchema,
  SetInventoryRequestSchema,
} from "../http";
import { SignalRConnectionInfoSchema } from "../live/orderStatusChanged";

/** Component names of the schemas that appear in many places. */
export const COMPONENTS: readonly [string, z.ZodType][] = [
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
export function nameComponents(): void {
  if (componentsNamed) return;
  for (const [refId, schema] of COMPONENTS) {
    zodToOpenAPIRegistry.add(schema, { _internal: { refId } });
  }
  componentsNamed = true;
}
