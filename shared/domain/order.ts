import { z } from "zod";
import { CurrencyCodeSchema, MoneySchema } from "./money";
import { OrderFailureReasonSchema, OrderStatusSchema } from "./orderStatus";

/**
 * The Order aggregate as plain, immutable data plus pure functions. The record is exactly
 * the JSON document that is stored, so persistence needs no mapping layer. `createOrder`
 * starts one; every change goes through `transitionOrder`, which checks the status machine
 * and returns a new record; `orderFromDocument` reads one back. No clock, no I/O: the
 * caller passes `now`.
 */

/** Upper bounds shared with the HTTP contract (docs/http-api.md "Rules"). */
export const ORDER_LIMITS = {
  minLines: 1,
  maxLines: 50,
  minQuantity: 1,
  maxQuantity: 100,
} as const;

const IsoTimestampSchema = z.iso.datetime({ offset: true });

export const ShippingAddressSchema = z.object({
  name: z.string().trim().min(1).max(200),
  line1: z.string().trim().min(1).max(200),
  line2: z.string().trim().max(200).optional(),
  city: z.string().trim().min(1).max(100),
  region: z.string().trim().max(100).optional(),
  postalCode: z.string().trim().min(1).max(20),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 country code: two upper-case letters"),
});
export type ShippingAddress = z.infer<typeof ShippingAddressSchema>;

/** A tokenised card: the token stands for the card at the gateway; card data never reaches us. */
export const PaymentMethodSchema = z.object({
  method: z.literal("card"),
  token: z.string().min(1).max(200),
});
export type PaymentMethod = z.infer<typeof PaymentMethodSchema>;

export const OrderLineSchema = z.object({
  sku: z.string().min(1),
  name: z.string(),
  quantity: z.number().int().min(ORDER_LIMITS.minQuantity).max(ORDER_LIMITS.maxQuantity),
  unitPrice: MoneySchema,
  lineTotal: MoneySchema,
});
export type OrderLine = z.infer<typeof OrderLineSchema>;

export const TimelineEntrySchema = z.object({ at: IsoTimestampSchema, status: OrderStatusSchema });
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

/**
 * The stored order. Deliberately without refinements, so that contracts can `.omit()`
 * fields from it (zod refuses that on refined objects); the cross-field invariants are
 * checked by {@link orderFromDocument} (orderDocument.ts).
 */
export const OrderSchema = z.object({
  orderId: z.string().min(1),
  customerId: z.string().min(1),
  email: z.email(),
  currency: CurrencyCodeSchema,
  items: z.array(OrderLineSchema).min(ORDER_LIMITS.minLines).max(ORDER_LIMITS.maxLines),
  total: MoneySchema,
  shippingAddress: ShippingAddressSchema,
  payment: PaymentMethodSchema,
  status: OrderStatusSchema,
  failureReason: OrderFailureReasonSchema.nullable(),
  createdAt: IsoTimestampSchema,
  updatedAt: IsoTimestampSchema,
  timeline: z.array(TimelineEntrySchema).min(1),
});
export type Order = z.infer<typeof OrderSchema>;
