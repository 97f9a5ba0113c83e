import { z } from "zod";
import { OrderIdSchema } from "../http/common";
import { cloudEvent } from "./envelope";
import { MESSAGE_TYPES } from "./messageTypes";

/**
 * Why the gateway said no: `PaymentDeclined` (the card was refused, `tok_decline`) or
 * `InsufficientFunds` (`tok_insufficient_funds`). Both are business outcomes, never
 * retried, and both end the order Failed with failureReason `PaymentDeclined`; the finer
 * reason is kept here for the logs and the payment ledger. A gateway that never answers is
 * not a decline: the saga's timer turns that into `PaymentTimeout`.
 */
export const PAYMENT_DECLINE_REASONS = ["PaymentDeclined", "InsufficientFunds"] as const;
export const PaymentDeclineReasonSchema = z.enum(PAYMENT_DECLINE_REASONS);
export type PaymentDeclineReason = z.infer<typeof PaymentDeclineReasonSchema>;

/** Payments → saga: the authorization (or, rarely, the capture) was declined. */
export const PaymentDeclinedDataSchema = z.object({
  orderId: OrderIdSchema,
  operation: z.enum(["authorize", "capture"]),
  reason: PaymentDeclineReasonSchema,
  /** The gateway's own wording, for operators; never shown to customers verbatim. */
  message: z.string().max(500).optional(),
});
export type PaymentDeclinedData = z.infer<typeof PaymentDeclinedDataSchema>;
export const PaymentDeclinedSchema = cloudEvent(
  MESSAGE_TYPES.PaymentDeclined,
  PaymentDeclinedDataSchema,
);
export type PaymentDeclined = z.infer<typeof PaymentDeclinedSchema>;
