import type { CancellationReason, Money, OrderFailureReason, OrderStatus } from "../domain";

/**
 * The shapes the orchestrator works with. They are plain data (the orchestrator's input and
 * activity payloads are JSON in Durable history), kept apart from the wire contracts so the
 * orchestrator stays a pure function of its history; the activities map them to the
 * CloudEvents contracts and validate there.
 */

export type SagaMoney = Money;

export interface SagaOrderLine {
  readonly sku: string;
  readonly quantity: number;
}

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
  readonly causationId?: string;
}

export interface SagaInput {
  readonly orderId: string;
  readonly customerId: string;
  readonly email: string;
  readonly items: readonly SagaOrderLine[];
  readonly total: SagaMoney;
  readonly paymentToken: string;
  readonly trace: SagaTrace;
  readonly timeouts: SagaTimeouts;
}

export type SagaOrderStatus = OrderStatus;
export type SagaFailureReason = OrderFailureReason;
export type CancelReason = CancellationReason;

export type NotificationTemplate = "Confirmed" | "Cancelled" | "Failed" | "Shipped" | "Delivered";

/** Commands the saga sends to the participants' queues (type = CloudEvents type). */
export type SagaCommand =
  | {
      readonly type: "ReserveInventory";
      readonly data: { orderId: string; items: readonly SagaOrderLine[] };
    }
  | { readonly type: "ReleaseInventory"; readonly data: { orderId: string } }
  | { readonly type: "CommitInventory"; readonly data: { orderId: string } }
  | {
      readonly type: "AuthorizePayment";
      readonly data: { orderId: string; amount: SagaMoney; paymentToken: string };
    }
  | { readonly type: "CapturePayment"; readonly data: { orderId: string; amount: SagaMoney } }
  | { readonly type: "VoidPayment"; readonly data: { orderId: string } }
  | { readonly type: "RefundPayment"; readonly data: { orderId: string; amount: SagaMoney } }
  | {
      readonly type: "SendNotification";
      readonly data: {
        orderId: string;
        customerId: string;
        email: string;
        template: NotificationTemplate;
        failureReason: SagaFailureReason | null;
      };
    };
export type SagaCommandType = SagaCommand["type"];

export type LifecycleEventType =
  "OrderConfirmed" | "OrderCancelled" | "OrderFailed" | "OrderShipped" | "OrderDelivered";

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
