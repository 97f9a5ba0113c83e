import { z } from "zod";
import { MoneySchema } from "../../domain";
import { OrderIdSchema } from "../http/common";
import { cloudEvent } from "./envelope";
import { MESSAGE_TYPES } from "./messageTypes";

/** Payments → saga: the captured amount went back to the card. */
export const PaymentRefundedDataSchema = z.object({
  orderId: OrderIdSchema,
  amount: MoneySchema,
  refundId: z.string().min(1),
});
export type PaymentRefundedData = z.infer<typeof PaymentRefundedDataSchema>;
export const PaymentRefundedSchema = cloudEvent(
  MESSAGE_TYPES.PaymentRefunded,
  PaymentRefundedDataSchema,
);
export type PaymentRefunded = z.infer<typeof PaymentRefundedSchema>;
