import { z } from "zod";
import { CancellationReasonSchema } from "../../domain";

/**
 * Payload of the `CancelRequested` external event that `POST /api/orders/{id}/cancel`
 * raises on the saga instance (Durable raiseEvent, not a Service Bus message, hence no
 * envelope).
 */
export const CANCEL_REQUESTED_EVENT = "CancelRequested";
export const CancelRequestedSchema = z.object({
  reason: CancellationReasonSchema,
  requestedAt: z.iso.datetime({ offset: true }),
});
export type CancelRequested = z.infer<typeof CancelRequestedSchema>;
