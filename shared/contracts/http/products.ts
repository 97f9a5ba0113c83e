import { z } from "zod";
import { MoneySchema } from "../../domain";
import { ContinuationTokenSchema, PageLimitSchema, SkuSchema } from "./common";

/** A catalog product; `available` = stock − reserved − committed. */
export const ProductSchema = z.object({
  sku: SkuSchema,
  name: z.string().min(1),
  description: z.string(),
  price: MoneySchema,
  available: z.number().int().min(0),
});
export type Product = z.infer<typeof ProductSchema>;

export const ProductListResponseSchema = z.object({
  items: z.array(ProductSchema),
  continuationToken: ContinuationTokenSchema.nullable(),
});
export type ProductListResponse = z.infer<typeof ProductListResponseSchema>;

/** Query of `GET /api/products`. */
export const ListProductsQuerySchema = z.object({
  limit: PageLimitSchema,
  continuationToken: ContinuationTokenSchema.optional(),
});
export type ListProductsQuery = z.infer<typeof ListProductsQuerySchema>;

/** Path parameters of `/api/products/{sku}` and `/api/inventory/{sku}`. */
export const SkuParamsSchema = z.object({ sku: SkuSchema });
export type SkuParams = z.infer<typeof SkuParamsSchema>;

const StockCountSchema = z
  .number()
  .int("must be an integer")
  .min(0, "must not be negative")
  .max(Number.MAX_SAFE_INTEGER, "must be a safe integer");

/** Body of `PUT /api/inventory/{sku}` (admin): the new on-hand stock. */
export const SetInventoryRequestSchema = z.strictObject({ stock: StockCountSchema });
export type SetInventoryRequest = z.infer<typeof SetInventoryRequestSchema>;

/**
 * Body of the 200 answer to `PUT /api/inventory/{sku}` (docs/http-api.md). The counters show
 * the operator why a later lower value may be refused (422 below reserved + committed).
 */
export const InventoryLevelSchema = z.object({
  sku: SkuSchema,
  stock: StockCountSchema,
  reserved: StockCountSchema,
  committed: StockCountSchema,
  available: StockCountSchema,
});
export type InventoryLevel = z.infer<typeof InventoryLevelSchema>;
