import { z } from "zod";
import { MoneySchema } from "../../domain";
import { OrderIdSchema } from "../http/common";
import { cloudEvent } from "./envelope";
import { MESSAGE_TYPES } from "./messageTypes";

/** Payments → saga: the money is taken. */
export const PaymentCapturedDataSchema = z.object({
  orderId: OrderIdSchema,
  amount: MoneySchema,
  captureId: z.string().min(1),
});
export type PaymentCapturedData = z.infer<typeof PaymentCapturedDataSchema>;
export const PaymentCapturedSchema = cloudEvent(
  MESSAGE_TYPES.PaymentCaptured,
  PaymentCapturedDataSchema,
);
export type PaymentCaptured = z.infer<typeof PaymentCapturedSchema>;
