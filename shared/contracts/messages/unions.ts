import { z } from "zod";
import type { MessageType } from "./messageTypes";
import { AuthorizePaymentSchema } from "./authorizePayment";
import { CapturePaymentSchema } from "./capturePayment";
import { CommitInventorySchema } from "./commitInventory";
import { InventoryCommittedSchema } from "./inventoryCommitted";
import { InventoryRejectedSchema } from "./inventoryRejected";
import { InventoryReleasedSchema } from "./inventoryReleased";
import { InventoryReservedSchema } from "./inventoryReserved";
import { InventoryShippedSchema } from "./inventoryShipped";
import { OrderCancelledSchema } from "./orderCancelled";
import { OrderConfirmedSchema } from "./orderConfirmed";
import { OrderDeliveredSchema } from "./orderDelivered";
import { OrderFailedSchema } from "./orderFailed";
import { OrderPlacedSchema } from "./orderPlaced";
import { OrderShippedSchema } from "./orderShipped";
import { PaymentAuthorizedSchema } from "./paymentAuthorized";
import { PaymentCapturedSchema } from "./paymentCaptured";
import { PaymentDeclinedSchema } from "./paymentDeclined";
import { PaymentRefundedSchema } from "./paymentRefunded";
import { PaymentVoidedSchema } from "./paymentVoided";
import { RefundPaymentSchema } from "./refundPayment";
import { ReleaseInventorySchema } from "./releaseInventory";
import { ReserveInventorySchema } from "./reserveInventory";
import { SendNotificationSchema } from "./sendNotification";
import { ShipInventorySchema } from "./shipInventory";
import { VoidPaymentSchema } from "./voidPayment";

/** What the `inventory` queue carries. */
export const InventoryCommandSchema = z.discriminatedUnion("type", [
  ReserveInventorySchema,
  ReleaseInventorySchema,
  CommitInventorySchema,
  ShipInventorySchema,
]);
export type InventoryCommand = z.infer<typeof InventoryCommandSchema>;

/** What the `payments` queue carries. */
export const PaymentCommandSchema = z.discriminatedUnion("type", [
  AuthorizePaymentSchema,
  CapturePaymentSchema,
  VoidPaymentSchema,
  RefundPaymentSchema,
]);
export type PaymentCommand = z.infer<typeof PaymentCommandSchema>;

/** What the `notifications` queue carries (one type today; a union so it can grow). */
export const NotificationCommandSchema = z.discriminatedUnion("type", [SendNotificationSchema]);
export type NotificationCommand = z.infer<typeof NotificationCommandSchema>;

/** Every reply the saga receives on `saga-replies`, raised on the instance by `type`. */
export const SagaReplySchema = z.discriminatedUnion("type", [
  InventoryReservedSchema,
  InventoryRejectedSchema,
  InventoryReleasedSchema,
  InventoryCommittedSchema,
  InventoryShippedSchema,
  PaymentAuthorizedSchema,
  PaymentDeclinedSchema,
  PaymentCapturedSchema,
  PaymentVoidedSchema,
  PaymentRefundedSchema,
]);
export type SagaReply = z.infer<typeof SagaReplySchema>;
export type SagaReplyType = SagaReply["type"];

/** Lifecycle events on the `order-events` topic. */
export const OrderEventSchema = z.discriminatedUnion("type", [
  OrderPlacedSchema,
  OrderConfirmedSchema,
  OrderCancelledSchema,
  OrderFailedSchema,
  OrderShippedSchema,
  OrderDeliveredSchema,
]);
export type OrderEvent = z.infer<typeof OrderEventSchema>;

/** Every message schema by its `type`, for code that handles messages generically. */
export const MESSAGE_SCHEMAS = {
  ReserveInventory: ReserveInventorySchema,
  ReleaseInventory: ReleaseInventorySchema,
  CommitInventory: CommitInventorySchema,
  ShipInventory: ShipInventorySchema,
  InventoryReserved: InventoryReservedSchema,
  InventoryRejected: InventoryRejectedSchema,
  InventoryReleased: InventoryReleasedSchema,
  InventoryCommitted: InventoryCommittedSchema,
  InventoryShipped: InventoryShippedSchema,
  AuthorizePayment: AuthorizePaymentSchema,
  CapturePayment: CapturePaymentSchema,
  VoidPayment: VoidPaymentSchema,
  RefundPayment: RefundPaymentSchema,
  PaymentAuthorized: PaymentAuthorizedSchema,
  PaymentDeclined: PaymentDeclinedSchema,
  PaymentCaptured: PaymentCapturedSchema,
  PaymentVoided: PaymentVoidedSchema,
  PaymentRefunded: PaymentRefundedSchema,
  SendNotification: SendNotificationSchema,
  OrderPlaced: OrderPlacedSchema,
  OrderConfirmed: OrderConfirmedSchema,
  OrderCancelled: OrderCancelledSchema,
  OrderFailed: OrderFailedSchema,
  OrderShipped: OrderShippedSchema,
  OrderDelivered: OrderDeliveredSchema,
} as const satisfies Record<MessageType, z.ZodType>;
