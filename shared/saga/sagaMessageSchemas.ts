import { AuthorizePaymentSchema } from "../contracts/messages/authorizePayment";
import { CapturePaymentSchema } from "../contracts/messages/capturePayment";
import { CommitInventorySchema } from "../contracts/messages/commitInventory";
import { OrderCancelledSchema } from "../contracts/messages/orderCancelled";
import { OrderConfirmedSchema } from "../contracts/messages/orderConfirmed";
import { OrderDeliveredSchema } from "../contracts/messages/orderDelivered";
import { OrderFailedSchema } from "../contracts/messages/orderFailed";
import { OrderShippedSchema } from "../contracts/messages/orderShipped";
import { RefundPaymentSchema } from "../contracts/messages/refundPayment";
import { ReleaseInventorySchema } from "../contracts/messages/releaseInventory";
import { ReserveInventorySchema } from "../contracts/messages/reserveInventory";
import { SendNotificationSchema } from "../contracts/messages/sendNotification";
import { ShipInventorySchema } from "../contracts/messages/shipInventory";
import { VoidPaymentSchema } from "../contracts/messages/voidPayment";
import { ORDER_EVENTS_TOPIC, QUEUES } from "../config/names";
import type { SagaCommandType, SagaLifecycleEvent } from "./sagaTypes";

/** Where each command goes, and the schema its envelope must satisfy before it is sent. */
export const COMMAND_ROUTES = {
  ReserveInventory: { queue: QUEUES.inventory, schema: ReserveInventorySchema },
  ReleaseInventory: { queue: QUEUES.inventory, schema: ReleaseInventorySchema },
  CommitInventory: { queue: QUEUES.inventory, schema: CommitInventorySchema },
  ShipInventory: { queue: QUEUES.inventory, schema: ShipInventorySchema },
  AuthorizePayment: { queue: QUEUES.payments, schema: AuthorizePaymentSchema },
  CapturePayment: { queue: QUEUES.payments, schema: CapturePaymentSchema },
  VoidPayment: { queue: QUEUES.payments, schema: VoidPaymentSchema },
  RefundPayment: { queue: QUEUES.payments, schema: RefundPaymentSchema },
  SendNotification: { queue: QUEUES.notifications, schema: SendNotificationSchema },
} as const satisfies Record<SagaCommandType, { queue: string; schema: unknown }>;

/** Lifecycle events all go to the topic; the schema per type. */
export const EVENT_ROUTES = {
  OrderConfirmed: OrderConfirmedSchema,
  OrderCancelled: OrderCancelledSchema,
  OrderFailed: OrderFailedSchema,
  OrderShipped: OrderShippedSchema,
  OrderDelivered: OrderDeliveredSchema,
} as const satisfies Record<SagaLifecycleEvent["type"], unknown>;

export const LIFECYCLE_TOPIC = ORDER_EVENTS_TOPIC;
