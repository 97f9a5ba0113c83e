import { z } from "zod";
import { FailureReasonSchema } from "../../domain";
import { OrderIdSchema } from "../http/common";
import { cloudEvent } from "./envelope";
import { MESSAGE_TYPES } from "./messageTypes";

/** Saga → order-events: the order could not be fulfilled; compensation finished. */
export const OrderFailedDataSchema = z.object({
  orderId: OrderIdSchema,
  customerId: z.string().min(1),
  reason: FailureReasonSchema,
});
export type OrderFailedData = z.infer<typeof OrderFailedDataSchema>;
export const OrderFailedSchema = cloudEvent(MESSAGE_TYPES.OrderFailed, OrderFailedDataSchema);
export type OrderFailed = z.infer<typeof OrderFailedSchema>;
