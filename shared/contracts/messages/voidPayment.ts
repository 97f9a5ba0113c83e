import type { z } from "zod";
import { MoneySchema } from "../../domain";
import { cloudEvent } from "./envelope";
import { MESSAGE_TYPES } from "./messageTypes";
import { paymentCommandPayload } from "./payloads";

/**
 * Saga → payments (compensation): drop the order's authorization. Keyed by order, because
 * after a payment timeout the saga never learnt an authorization id; voiding nothing is a
 * success (PaymentVoided).
 */
export const VoidPaymentDataSchema = paymentCommandPayload("void", { amount: MoneySchema });
export type VoidPaymentData = z.infer<typeof VoidPaymentDataSchema>;
export const VoidPaymentSchema = cloudEvent(MESSAGE_TYPES.VoidPayment, VoidPaymentDataSchema);
export type VoidPayment = z.infer<typeof VoidPaymentSchema>;
