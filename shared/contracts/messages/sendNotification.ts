import { z } from "zod";
import {
  CancellationReasonSchema,
  FailureReasonSchema,
  MoneySchema,
  OrderLineSchema,
  PhoneNumberSchema,
} from "../../domain";
import { OrderIdSchema } from "../http/common";
import { cloudEvent } from "./envelope";
import { MESSAGE_TYPES } from "./messageTypes";

/** The emails the notification worker knows how to write. */
export const NOTIFICATION_TEMPLATES = [
  "OrderConfirmed",
  "OrderCancelled",
  "OrderFailed",
  "OrderShipped",
  "OrderDelivered",
] as const;
export const NotificationTemplateSchema = z.enum(NOTIFICATION_TEMPLATES);
export type NotificationTemplate = z.infer<typeof NotificationTemplateSchema>;

/**
 * The key that makes an email at-most-once: one per (order, template), docs/guarantees.md
 * guarantee 4.
 */
export function notificationIdempotencyKey(
  orderId: string,
  template: NotificationTemplate,
): string {
  return `${orderId}:${template}`;
}

const recipient = {
  orderId: OrderIdSchema,
  recipient: z.email(),
  /** E.164: the same message goes out by SMS too, when the app has a sender number. */
  phone: PhoneNumberSchema.optional(),
  /** For the greeting; the shipping name is the best we have. */
  customerName: z.string().max(200).optional(),
};

const NotificationLineSchema = OrderLineSchema.pick({
  sku: true,
  name: true,
  quantity: true,
  lineTotal: true,
});

/**
 * Saga (or ship/deliver handlers) → notifications: send one email. The payload is a union
 * on `template`, each variant carrying exactly what its email shows, so the worker never
 * reads the order store.
 */
export const SendNotificationDataSchema = z.discriminatedUnion("template", [
  z.object({
    ...recipient,
    template: z.literal("OrderConfirmed"),
    items: z.array(NotificationLineSchema).min(1),
    total: MoneySchema,
  }),
  z.object({
    ...recipient,
    template: z.literal("OrderCancelled"),
    reason: CancellationReasonSchema,
    /** What goes back to the card: the total if payment was captured or held, else zero. */
    refund: MoneySchema,
  }),
  z.object({ ...recipient, template: z.literal("OrderFailed"), reason: FailureReasonSchema }),
  z.object({ ...recipient, template: z.literal("OrderShipped") }),
  z.object({ ...recipient, template: z.literal("OrderDelivered") }),
]);
export type SendNotificationData = z.infer<typeof SendNotificationDataSchema>;
export const SendNotificationSchema = cloudEvent(
  MESSAGE_TYPES.SendNotification,
  SendNotificationDataSchema,
);
export type SendNotification = z.infer<typeof SendNotificationSchema>;
