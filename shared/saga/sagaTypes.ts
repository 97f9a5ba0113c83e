import type {
  CancellationReason,
  FailureReason,
  Money,
  OrderFailureReason,
  OrderLine,
  OrderStatus,
} from "../domain";
import type { AuthorizePaymentData } from "../contracts/messages/authorizePayment";
import type { CapturePaymentData } from "../contracts/messages/capturePayment";
import type { CommitInventoryData } from "../contracts/messages/commitInventory";
import type { ShipInventoryData } from "../contracts/messages/shipInventory";
import type { OrderCancelledData } from "../contracts/messages/orderCancelled";
import type { OrderConfirmedData } from "../contracts/messages/orderConfirmed";
import type { OrderDeliveredData } from "../contracts/messages/orderDelivered";
import type { OrderFailedData } from "../contracts/messages/orderFailed";
import type { OrderShippedData } from "../contracts/messages/orderShipped";
import type { RefundPaymentData } from "../contracts/messages/refundPayment";
import type { ReleaseInventoryData } from "../contracts/messages/releaseInventory";
import type { ReserveInventoryData } from "../contracts/messages/reserveInventory";
import type { SendNotificationData } from "../contracts/messages/sendNotification";
import type { VoidPaymentData } from "../contracts/messages/voidPayment";

/**
 * The shapes the orchestrator works with. Commands and events carry the contracts' payload
 * types, so the activities only wrap them in an envelope and validate; the one exception
 * is the card token, which never enters Durable history: the sendCommand activity reads it
 * from the order document when it builds AuthorizePayment.
 */

/** Per-step reply deadlines; the starter reads them from settings, the orchestrator may not. */
export interface SagaTimeouts {
  readonly inventorySeconds: number;
  readonly paymentSeconds: number;
}

/** Correlation that travels with every message the saga causes (W3C trace context included). */
export interface SagaTrace {
  readonly orderId: string;
  readonly correlationId: string;
  readonly traceparent?: string;
  /** Id of the event that started the saga (OrderPlaced); commands name it as their cause. */
  readonly causationId: string;
}

export interface SagaInput {
  readonly orderId: string;
  readonly customerId: string;
  readonly email: string;
  /** E.164; lifecycle SMS go here too when set. */
  readonly phone?: string;
  readonly customerName?: string;
  readonly items: readonly OrderLine[];
  readonly total: Money;
  readonly trace: SagaTrace;
  readonly timeouts: SagaTimeouts;
}

export type SagaOrderStatus = OrderStatus;
export type SagaFailureReason = OrderFailureReason;
export type CancelReason = CancellationReason;
export type { FailureReason };

/** Commands the saga sends to the participants' queues (type = CloudEvents type). */
export type SagaCommand =
  | { readonly type: "ReserveInventory"; readonly data: ReserveInventoryData }
  | { readonly type: "ReleaseInventory"; readonly data: ReleaseInventoryData }
  | { readonly type: "CommitInventory"; readonly data: CommitInventoryData }
  | { readonly type: "ShipInventory"; readonly data: ShipInventoryData }
  | { readonly type: "AuthorizePayment"; readonly data: Omit<AuthorizePaymentData, "token"> }
  | { readonly type: "CapturePayment"; readonly data: CapturePaymentData }
  | { readonly type: "VoidPayment"; readonly data: VoidPaymentData }
  | { readonly type: "RefundPayment"; readonly data: RefundPaymentData }
  | { readonly type: "SendNotification"; readonly data: SendNotificationData };
export type SagaCommandType = SagaCommand["type"];

/** Lifecycle events the saga publishes to `order-events`. */
export type SagaLifecycleEvent =
  | { readonly type: "OrderConfirmed"; readonly data: OrderConfirmedData }
  | { readonly type: "OrderCancelled"; readonly data: OrderCancelledData }
  | { readonly type: "OrderFailed"; readonly data: OrderFailedData }
  | { readonly type: "OrderShipped"; readonly data: OrderShippedData }
  | { readonly type: "OrderDelivered"; readonly data: OrderDeliveredData };

/** One structured log line per saga step; the operators' workbook queries these field names. */
export interface SagaStepLog {
  readonly step: string;
  readonly outcome: string;
  readonly durationMs: number;
}

export interface SagaResult {
  readonly orderId: string;
  readonly status: SagaOrderStatus;
  readonly failureReason: SagaFailureReason | null;
}
