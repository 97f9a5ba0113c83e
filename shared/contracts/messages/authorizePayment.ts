import type { z } from "zod";
import { MoneySchema, PaymentMethodSchema } from "../../domain";
import { cloudEvent } from "./envelope";
import { MESSAGE_TYPES } from "./messageTypes";
import { paymentCommandPayload } from "./payloads";

/** Saga → payments: authorize the order total on the card token. Key `${orderId}:authorize`. */
export const AuthorizePaymentDataSchema = paymentCommandPayload("authorize", {
  amount: MoneySchema,
  token: PaymentMethodSchema.shape.token,
});
export type AuthorizePaymentData = z.infer<typeof AuthorizePaymentDataSchema>;
export const AuthorizePaymentSchema = cloudEvent(
  MESSAGE_TYPES.AuthorizePayment,
  AuthorizePaymentDataSchema,
);
export type AuthorizePayment = z.infer<typeof AuthorizePaymentSchema>;
