import { z } from "zod";
import {
  CurrencyCodeSchema,
  ORDER_LIMITS,
  OrderSchema,
  OrderStatusSchema,
  MoneySchema,
  PaymentMethodSchema,
  PhoneNumberSchema,
  ShippingAddressSchema,
} from "../../domain";
import { ContinuationTokenSchema, OrderIdSchema, PageLimitSchema, SkuSchema } from "./common";
import { plainText } from "./plainText";

/** One requested line: a SKU and how many; the price comes from the catalog. */
export const OrderItemRequestSchema = z.strictObject({
  sku: SkuSchema,
  quantity: z
    .number({
      error: `must be a whole number from ${ORDER_LIMITS.minQuantity} to ${ORDER_LIMITS.maxQuantity}`,
    })
    .int("must be an integer")
    .min(ORDER_LIMITS.minQuantity, `must be at least ${ORDER_LIMITS.minQuantity}`)
    .max(ORDER_LIMITS.maxQuantity, `must be at most ${ORDER_LIMITS.maxQuantity}`),
});
export type OrderItemRequest = z.infer<typeof OrderItemRequestSchema>;

const OrderItemsRequestSchema = z
  .array(OrderItemRequestSchema)
  .min(ORDER_LIMITS.minLines, `must have at least ${ORDER_LIMITS.minLines} line`)
  .max(ORDER_LIMITS.maxLines, `must have at most ${ORDER_LIMITS.maxLines} lines`)
  .superRefine((items, ctx) => {
    // The issue points at the repeated line, so the client sees which one to remove.
    const firstIndex = new Map<string, number>();
    items.forEach((item, index) => {
      const first = firstIndex.get(item.sku);
      if (first === undefined) {
        firstIndex.set(item.sku, index);
      } else {
        ctx.addIssue({
          code: "custom",
          path: [index, "sku"],
          message: `duplicate SKU ${item.sku}: already in items[${first}]`,
        });
      }
    });
  });

/**
 * The address as a client may send it: the stored shape's bounds, and every field plain
 * text (no controls, line breaks, bidi formatting or unpaired surrogates; plainText.ts).
 * The rule lives here, at the edge, rather than on the stored schema: it decides what
 * the API takes in, and an order stored before it stays readable.
 */
const address = ShippingAddressSchema.shape;
const ShippingAddressRequestSchema = z.strictObject({
  name: plainText(address.name),
  line1: plainText(address.line1),
  line2: plainText(address.line2.unwrap()).optional(),
  city: plainText(address.city),
  region: plainText(address.region.unwrap()).optional(),
  postalCode: plainText(address.postalCode),
  country: address.country,
});

/** Body of `POST /api/orders`. Every object is strict: an unknown field is a 400. */
export const CreateOrderRequestSchema = z.strictObject({
  email: z.email("must be an email address").max(254),
  /** Optional: lifecycle SMS go here too when the app has an SMS sender number. */
  phone: PhoneNumberSchema.optional(),
  currency: CurrencyCodeSchema,
  items: OrderItemsRequestSchema,
  payment: z.strictObject({
    ...PaymentMethodSchema.shape,
    token: plainText(PaymentMethodSchema.shape.token),
  }),
  shippingAddress: ShippingAddressRequestSchema,
});
export type CreateOrderRequest = z.infer<typeof CreateOrderRequestSchema>;

/** Body of the 202 answer to `POST /api/orders` (and of its idempotent replays). */
export const CreateOrderResponseSchema = z.object({
  orderId: OrderIdSchema,
  status: OrderStatusSchema,
  total: MoneySchema,
});
export type CreateOrderResponse = z.infer<typeof CreateOrderResponseSchema>;

/** An order as `GET /api/orders/{orderId}` shows it: the stored order minus its payment token. */
export const OrderResponseSchema = OrderSchema.omit({ payment: true });
export type OrderResponse = z.infer<typeof OrderResponseSchema>;

/** Path parameters of the routes under `/api/orders/{orderId}`. */
export const OrderIdParamsSchema = z.object({ orderId: OrderIdSchema });
export type OrderIdParams = z.infer<typeof OrderIdParamsSchema>;

/** Query of `GET /api/orders`. Unknown query parameters are ignored. */
export const ListOrdersQuerySchema = z.object({
  status: OrderStatusSchema.optional(),
  limit: PageLimitSchema,
  continuationToken: ContinuationTokenSchema.optional(),
});
export type ListOrdersQuery = z.infer<typeof ListOrdersQuerySchema>;

/** Body of `GET /api/orders`: the caller's orders, newest first. */
export const OrderListResponseSchema = z.object({
  items: z.array(OrderResponseSchema),
  continuationToken: ContinuationTokenSchema.nullable(),
});
export type OrderListResponse = z.infer<typeof OrderListResponseSchema>;

/**
 * Body of the 202 answers to `POST /api/orders/{orderId}/cancel`, `/ship` and `/deliver`
 * (docs/http-api.md): where the order stands when the request is accepted (the saga then
 * moves it on).
 */
export const OrderStatusResponseSchema = z.object({
  orderId: OrderIdSchema,
  status: OrderStatusSchema,
});
export type OrderStatusResponse = z.infer<typeof OrderStatusResponseSchema>;

/** The cancel answer: {@link OrderStatusResponseSchema}, normally with status `Cancelling`. */
export const CancelOrderResponseSchema = OrderStatusResponseSchema;
export type CancelOrderResponse = OrderStatusResponse;
