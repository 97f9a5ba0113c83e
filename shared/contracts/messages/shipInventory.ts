import type { z } from "zod";
import { cloudEvent } from "./envelope";
import { MESSAGE_TYPES } from "./messageTypes";
import { OrderRefSchema } from "./payloads";

/**
 * Saga → inventory: the order has shipped, so its committed units have left the warehouse.
 * Stock and committed both drop by the order's quantities and the order's holds go, which
 * keeps `stock` the on-hand count an operator can set and product documents from growing.
 */
export const ShipInventoryDataSchema = OrderRefSchema;
export type ShipInventoryData = z.infer<typeof ShipInventoryDataSchema>;
export const ShipInventorySchema = cloudEvent(MESSAGE_TYPES.ShipInventory, ShipInventoryDataSchema);
export type ShipInventory = z.infer<typeof ShipInventorySchema>;
