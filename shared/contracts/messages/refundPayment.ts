import type { z } from "zod";
import { MoneySchema } from "../../domain";
import { cloudEvent } from "./envelope";
import { MESSAGE_TYPES } from "./messageTypes";
import { paymentCommandPayload } from "./payloads";

/** Saga → payments (compensation of a Confirmed order): refund the capture, `amount` in full. */
export const RefundPaymentDataSchema = paymentCommandPayload("refund", { amount: MoneySchema });
export type RefundPaymentData = z.infer<typeof RefundPaymentDataSchema>;
export const RefundPaymentSchema = cloudEvent(MESSAGE_TYPES.RefundPayment, RefundPaymentDataSchema);
export type RefundPayment = z.infer<typeof RefundPaymentSchema>;
