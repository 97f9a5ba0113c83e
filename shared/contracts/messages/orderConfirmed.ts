import { z } from "zod";
import { MoneySchema } from "../../domain";
import { OrderIdSchema } from "../http/common";
import { cloudEvent } from "./envelope";
import { MESSAGE_TYPES } from "./messageTypes";

/** Saga → order-events: payment captured and stock committed. */
export const OrderConfirmedDataSchema = z.object({
  orderId: OrderIdSchema,
  customerId: z.string().min(1),
  total: MoneySchema,
});
export type OrderConfirmedData = z.infer<typeof OrderConfirmedDataSchema>;
export const OrderConfirmedSchema = cloudEvent(
  MESSAGE_TYPES.OrderConfirmed,
  OrderConfirmedDataSchema,
);
export type OrderConfirmed = z.infer<typeof OrderConfirmedSchema>;
