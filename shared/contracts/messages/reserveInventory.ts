import { z } from "zod";
import { ORDER_LIMITS } from "../../domain";
import { OrderIdSchema } from "../http/common";
import { cloudEvent } from "./envelope";
import { MESSAGE_TYPES } from "./messageTypes";
import { InventoryLineSchema } from "./payloads";

/** Saga → inventory: hold these quantities for the order (all lines or none). */
export const ReserveInventoryDataSchema = z.object({
  orderId: OrderIdSchema,
  lines: z.array(InventoryLineSchema).min(ORDER_LIMITS.minLines).max(ORDER_LIMITS.maxLines),
});
export type ReserveInventoryData = z.infer<typeof ReserveInventoryDataSchema>;
export const ReserveInventorySchema = cloudEvent(
  MESSAGE_TYPES.ReserveInventory,
  ReserveInventoryDataSchema,
);
export type ReserveInventory = z.infer<typeof ReserveInventorySchema>;
