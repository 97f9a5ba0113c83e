import { z } from "zod";
import { OrderIdSchema, SkuSchema } from "../http/common";
import { cloudEvent } from "./envelope";
import { MESSAGE_TYPES } from "./messageTypes";

/** One line that could not be reserved: what was asked and what was available then. */
export const ShortLineSchema = z.object({
  sku: SkuSchema,
  requested: z.number().int().min(1),
  available: z.number().int().min(0),
});
export type ShortLine = z.infer<typeof ShortLineSchema>;

/** Inventory → saga: nothing was reserved, because these lines are short (order Failed, OutOfStock). */
export const InventoryRejectedDataSchema = z.object({
  orderId: OrderIdSchema,
  shortLines: z.array(ShortLineSchema).min(1),
});
export type InventoryRejectedData = z.infer<typeof InventoryRejectedDataSchema>;
export const InventoryRejectedSchema = cloudEvent(
  MESSAGE_TYPES.InventoryRejected,
  InventoryRejectedDataSchema,
);
export type InventoryRejected = z.infer<typeof InventoryRejectedSchema>;
