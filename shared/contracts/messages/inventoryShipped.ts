import type { z } from "zod";
import { cloudEvent } from "./envelope";
import { MESSAGE_TYPES } from "./messageTypes";
import { OrderRefSchema } from "./payloads";

/** Inventory → saga: the order's committed stock is retired from on-hand stock. */
export const InventoryShippedDataSchema = OrderRefSchema;
export type InventoryShippedData = z.infer<typeof InventoryShippedDataSchema>;
export const InventoryShippedSchema = cloudEvent(
  MESSAGE_TYPES.InventoryShipped,
  InventoryShippedDataSchema,
);
export type InventoryShipped = z.infer<typeof InventoryShippedSchema>;
