import { z } from "zod";
import { OrderIdSchema } from "../http/common";
import { cloudEvent } from "./envelope";
import { MESSAGE_TYPES } from "./messageTypes";

/** API (admin ship) → order-events. */
export const OrderShippedDataSchema = z.object({
  orderId: OrderIdSchema,
  customerId: z.string().min(1),
});
export type OrderShippedData = z.infer<typeof OrderShippedDataSchema>;
export const OrderShippedSchema = cloudEvent(MESSAGE_TYPES.OrderShipped, OrderShippedDataSchema);
export type OrderShipped = z.infer<typeof OrderShippedSchema>;
