import type { z } from "zod";
import { cloudEvent } from "./envelope";
import { MESSAGE_TYPES } from "./messageTypes";
import { OrderRefSchema } from "./payloads";

/** Inventory → saga: every line of the order is reserved. */
export const InventoryReservedDataSchema = OrderRefSchema;
export type InventoryReservedData = z.infer<typeof InventoryReservedDataSchema>;
export const InventoryReservedSchema = cloudEvent(
  MESSAGE_TYPES.InventoryReserved,
  InventoryReservedDataSchema,
);
export type InventoryReserved = z.infer<typeof InventoryReservedSchema>;
