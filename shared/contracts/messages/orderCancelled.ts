import { z } from "zod";
import { CancellationReasonSchema } from "../../domain";
import { OrderIdSchema } from "../http/common";
import { cloudEvent } from "./envelope";
import { MESSAGE_TYPES } from "./messageTypes";

/** Saga → order-events: compensation finished after a cancel request. */
export const OrderCancelledDataSchema = z.object({
  orderId: OrderIdSchema,
  customerId: z.string().min(1),
  reason: CancellationReasonSchema,
});
export type OrderCancelledData = z.infer<typeof OrderCancelledDataSchema>;
export const OrderCancelledSchema = cloudEvent(
  MESSAGE_TYPES.OrderCancelled,
  OrderCancelledDataSchema,
);
export type OrderCancelled = z.infer<typeof OrderCancelledSchema>;
