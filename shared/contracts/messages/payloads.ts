import { z } from "zod";
import { ORDER_LIMITS } from "../../domain";
import { OrderIdSchema, SkuSchema } from "../http/common";

/** Building blocks shared by several message payloads. */

export const InventoryLineSchema = z.object({
  sku: SkuSchema,
  quantity: z.number().int().min(ORDER_LIMITS.minQuantity).max(ORDER_LIMITS.maxQuantity),
});
export type InventoryLine = z.infer<typeof InventoryLineSchema>;

/** A payload that names only its order: most replies and compensations. */
export const OrderRefSchema = z.object({ orderId: OrderIdSchema });
export type OrderRef = z.infer<typeof OrderRefSchema>;

/** The payment operations; each has its own idempotency key per order. */
export const PAYMENT_OPERATIONS = ["authorize", "capture", "void", "refund"] as const;
export type PaymentOperation = (typeof PAYMENT_OPERATIONS)[number];

/**
 * The idempotency key of a payment operation: `${orderId}:${operation}`. The gateway and
 * the payment ledger are conditional on it, so a redelivered command charges nothing twice
 * (docs/guarantees.md, guarantee 3; idempotency keys are the workflow id plus the step).
 */
export function paymentIdempotencyKey(orderId: string, operation: PaymentOperation): string {
  return `${orderId}:${operation}`;
}

/** A payment command payload whose idempotency key must follow the convention for `operation`. */
export function paymentCommandPayload<S extends z.ZodRawShape>(
  operation: PaymentOperation,
  shape: S,
) {
  return z
    .object({ orderId: OrderIdSchema, idempotencyKey: z.string().min(1).max(200), ...shape })
    .refine(
      // The generic shape hides the two fixed fields from the checker; they are always there.
      (payload) => {
        const { orderId, idempotencyKey } = payload as { orderId: string; idempotencyKey: string };
        return idempotencyKey === paymentIdempotencyKey(orderId, operation);
      },
      {
        message: `must be "<orderId>:${operation}"`,
        path: ["idempotencyKey"],
      },
    );
}
