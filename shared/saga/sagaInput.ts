import { z } from "zod";
import type { SagaInput } from "./sagaTypes";

const money = z.object({ amount: z.number().int(), currency: z.string().length(3) });

/** The orchestration input, checked once on the first turn (history replays the same value). */
export const sagaInputSchema = z.object({
  orderId: z.string().min(1),
  customerId: z.string().min(1),
  email: z.string().min(3),
  items: z
    .array(z.object({ sku: z.string().min(1), quantity: z.number().int().positive() }))
    .min(1),
  total: money,
  paymentToken: z.string().min(1),
  trace: z.object({
    orderId: z.string().min(1),
    correlationId: z.string().min(1),
    traceparent: z.string().optional(),
    causationId: z.string().optional(),
  }),
  timeouts: z.object({
    inventorySeconds: z.number().positive(),
    paymentSeconds: z.number().positive(),
  }),
});

export function parseSagaInput(input: unknown): SagaInput {
  return sagaInputSchema.parse(input);
}
