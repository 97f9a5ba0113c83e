import { z } from "zod";
import { CurrencyCodeSchema, MoneySchema, OrderLineSchema, PhoneNumberSchema } from "../../domain";
import { OrderIdSchema } from "../http/common";
import { cloudEvent } from "./envelope";
import { MESSAGE_TYPES } from "./messageTypes";

/**
 * API → order-events: an order was accepted (written in the same batch as the order, via
 * the outbox). It starts the saga. The payment token is deliberately absent: this event
 * goes to every subscriber of the topic, so the saga reads the token from the order
 * document when it builds AuthorizePayment.
 */
export const OrderPlacedDataSchema = z.object({
  orderId: OrderIdSchema,
  customerId: z.string().min(1),
  email: z.email(),
  phone: PhoneNumberSchema.optional(),
  currency: CurrencyCodeSchema,
  items: z.array(OrderLineSchema).min(1),
  total: MoneySchema,
});
export type OrderPlacedData = z.infer<typeof OrderPlacedDataSchema>;
export const OrderPlacedSchema = cloudEvent(MESSAGE_TYPES.OrderPlaced, OrderPlacedDataSchema);
export type OrderPlaced = z.infer<typeof OrderPlacedSchema>;
