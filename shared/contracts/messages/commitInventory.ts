import type { z } from "zod";
import { cloudEvent } from "./envelope";
import { MESSAGE_TYPES } from "./messageTypes";
import { OrderRefSchema } from "./payloads";

/** Saga → inventory: turn the order's reservation into a commitment (payment captured). */
export const CommitInventoryDataSchema = OrderRefSchema;
export type CommitInventoryData = z.infer<typeof CommitInventoryDataSchema>;
export const CommitInventorySchema = cloudEvent(
  MESSAGE_TYPES.CommitInventory,
  CommitInventoryDataSchema,
);
export type CommitInventory = z.infer<typeof CommitInventorySchema>;
