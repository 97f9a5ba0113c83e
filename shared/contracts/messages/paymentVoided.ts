import type { z } from "zod";
import { cloudEvent } from "./envelope";
import { MESSAGE_TYPES } from "./messageTypes";
import { OrderRefSchema } from "./payloads";

/** Payments → saga: no authorization remains for the order. */
export const PaymentVoidedDataSchema = OrderRefSchema;
export type PaymentVoidedData = z.infer<typeof PaymentVoidedDataSchema>;
export const PaymentVoidedSchema = cloudEvent(MESSAGE_TYPES.PaymentVoided, PaymentVoidedDataSchema);
export type PaymentVoided = z.infer<typeof PaymentVoidedSchema>;
