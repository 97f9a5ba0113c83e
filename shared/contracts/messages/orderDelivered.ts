import { z } from "zod";
import { OrderIdSchema } from "../http/common";
import { cloudEvent } from "./envelope";
import { MESSAGE_TYPES } from "./messageTypes";

/** API (admin deliver) → order-events. */
export const OrderDeliveredDataSchema = z.object({
  orderId: OrderIdSchema,
  customerId: z.string().min(1),
});
export type OrderDeliveredData = z.infer<typeof OrderDeliveredDataSchema>;
export const OrderDeliveredSchema = cloudEvent(
  MESSAGE_TYPES.OrderDelivered,
  OrderDeliveredDataSchema,
);
export type OrderDelivered = z.infer<typeof OrderDeliveredSchema>;
