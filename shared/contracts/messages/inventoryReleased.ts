import type { z } from "zod";
import { cloudEvent } from "./envelope";
import { MESSAGE_TYPES } from "./messageTypes";
import { OrderRefSchema } from "./payloads";

/** Inventory → saga: the order holds no stock any more. */
export const InventoryReleasedDataSchema = OrderRefSchema;
export type InventoryReleasedData = z.infer<typeof InventoryReleasedDataSchema>;
export const InventoryReleasedSchema = cloudEvent(
  MESSAGE_TYPES.InventoryReleased,
  InventoryReleasedDataSchema,
);
export type InventoryReleased = z.infer<typeof InventoryReleasedSchema>;
