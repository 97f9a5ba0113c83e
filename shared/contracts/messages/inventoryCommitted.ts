import type { z } from "zod";
import { cloudEvent } from "./envelope";
import { MESSAGE_TYPES } from "./messageTypes";
import { OrderRefSchema } from "./payloads";

/** Inventory → saga: the order's stock is committed. */
export const InventoryCommittedDataSchema = OrderRefSchema;
export type InventoryCommittedData = z.infer<typeof InventoryCommittedDataSchema>;
export const InventoryCommittedSchema = cloudEvent(
  MESSAGE_TYPES.InventoryCommitted,
  InventoryCommittedDataSchema,
);
export type InventoryCommitted = z.infer<typeof InventoryCommittedSchema>;
