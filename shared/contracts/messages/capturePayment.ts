import type { z } from "zod";
import { MoneySchema } from "../../domain";
import { cloudEvent } from "./envelope";
import { MESSAGE_TYPES } from "./messageTypes";
import { paymentCommandPayload } from "./payloads";

/**
 * Saga → payments: capture the order's authorization for exactly `amount` (the order
 * total). Keyed by order: the payment worker finds the authorization in its ledger.
 */
export const CapturePaymentDataSchema = paymentCommandPayload("capture", { amount: MoneySchema });
export type CapturePaymentData = z.infer<typeof CapturePaymentDataSchema>;
export const CapturePaymentSchema = cloudEvent(
  MESSAGE_TYPES.CapturePayment,
  CapturePaymentDataSchema,
);
export type CapturePayment = z.infer<typeof CapturePaymentSchema>;
