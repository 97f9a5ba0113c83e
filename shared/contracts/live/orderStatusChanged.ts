import { z } from "zod";
import { OrderFailureReasonSchema, OrderStatusSchema } from "../../domain";
import { OrderIdSchema } from "../http/common";

/** The hub method a customer's client listens on for live status (docs/http-api.md). */
export const ORDER_STATUS_CHANGED = "orderStatusChanged";

/**
 * The one argument of `orderStatusChanged`: the status the order moved to, the timeline
 * entry's time (`at`) and the order's `updatedAt`. A push may be lost or repeated; the
 * order read through the API is the truth.
 */
export const OrderStatusChangedSchema = z.strictObject({
  orderId: OrderIdSchema,
  status: OrderStatusSchema,
  failureReason: OrderFailureReasonSchema.nullable(),
  at: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type OrderStatusChanged = z.infer<typeof OrderStatusChangedSchema>;

/** `POST /api/negotiate`: where the SignalR client connects, and its token. */
export const SignalRConnectionInfoSchema = z.object({
  url: z.url(),
  accessToken: z.string().min(1),
});
export type SignalRConnectionInfo = z.infer<typeof SignalRConnectionInfoSchema>;
