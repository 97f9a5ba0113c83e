import type { z } from "zod";
import { cloudEvent } from "./envelope";
import { MESSAGE_TYPES } from "./messageTypes";
import { OrderRefSchema } from "./payloads";

/**
 * Saga → inventory (compensation): give back whatever the order holds, reserved or
 * committed. Keyed by order only, because after a reservation timeout the saga does not
 * know what (if anything) was reserved; releasing nothing is a success.
 */
export const ReleaseInventoryDataSchema = OrderRefSchema;
export type ReleaseInventoryData = z.infer<typeof ReleaseInventoryDataSchema>;
export const ReleaseInventorySchema = cloudEvent(
  MESSAGE_TYPES.ReleaseInventory,
  ReleaseInventoryDataSchema,
);
export type ReleaseInventory = z.infer<typeof ReleaseInventorySchema>;
