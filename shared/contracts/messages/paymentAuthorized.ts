import { z } from "zod";
import { MoneySchema } from "../../domain";
import { OrderIdSchema } from "../http/common";
import { cloudEvent } from "./envelope";
import { MESSAGE_TYPES } from "./messageTypes";

/** Payments → saga: the amount is held on the card; `authorizationId` is the gateway's. */
export const PaymentAuthorizedDataSchema = z.object({
  orderId: OrderIdSchema,
  amount: MoneySchema,
  authorizationId: z.string().min(1),
});
export type PaymentAuthorizedData = z.infer<typeof PaymentAuthorizedDataSchema>;
export const PaymentAuthorizedSchema = cloudEvent(
  MESSAGE_TYPES.PaymentAuthorized,
  PaymentAuthorizedDataSchema,
);
export type PaymentAuthorized = z.infer<typeof PaymentAuthorizedSchema>;
