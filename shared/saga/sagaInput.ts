import { z } from "zod";
import { MoneySchema, OrderLineSchema, PhoneNumberSchema } from "../domain";
import type { SagaInput } from "./sagaTypes";

/** The orchestration input, checked once on the first turn (history replays the same value). */
export const SagaInputSchema = z.object({
  orderId: z.string().min(1),
  customerId: z.string().min(1),
  email: z.email(),
  phone: PhoneNumberSchema.optional(),
  customerName: z.string().max(200).optional(),
  items: z.array(OrderLineSchema).min(1),
  total: MoneySchema,
  trace: z.object({
    orderId: z.string().min(1),
    correlationId: z.string().min(1),
    traceparent: z.string().optional(),
    causationId: z.string().min(1),
  }),
  timeouts: z.object({
    inventorySeconds: z.number().positive(),
    paymentSeconds: z.number().positive(),
  }),
});

export function parseSagaInput(input: unknown): SagaInput {
  return SagaInputSchema.parse(input);
}
