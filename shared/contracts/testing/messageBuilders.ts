/**
 * Test-data builders for messages: valid payloads for every message type and valid
 * envelope attributes, so a test states only the field it breaks.
 */
import type { EnvelopeMeta } from "../messages/envelope";
import { MESSAGE_SOURCES } from "../messages/messageTypes";
import type { MessageType } from "../messages/messageTypes";
import { paymentIdempotencyKey } from "../messages/payloads";

export const ORDER_ID = "order-1";
export const TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

export function anEnvelopeMeta(overrides: Partial<EnvelopeMeta> = {}): EnvelopeMeta {
  return {
    id: "msg-1",
    time: new Date("2026-01-01T10:00:00.000Z"),
    source: MESSAGE_SOURCES.saga,
    correlationid: "msg-0",
    causationid: "msg-0",
    ...overrides,
  };
}

const usd = (amount: number) => ({ amount, currency: "USD" });
const line = {
  sku: "SKU-0001",
  name: "Analytical Engine",
  quantity: 2,
  unitPrice: usd(1299),
  lineTotal: usd(2598),
};

/** A valid `data` for each message type. */
export const VALID_PAYLOADS: Record<MessageType, () => Record<string, unknown>> = {
  ReserveInventory: () => ({ orderId: ORDER_ID, lines: [{ sku: "SKU-0001", quantity: 2 }] }),
  ReleaseInventory: () => ({ orderId: ORDER_ID }),
  CommitInventory: () => ({ orderId: ORDER_ID }),
  ShipInventory: () => ({ orderId: ORDER_ID }),
  InventoryReserved: () => ({ orderId: ORDER_ID }),
  InventoryRejected: () => ({
    orderId: ORDER_ID,
    shortLines: [{ sku: "SKU-0001", requested: 2, available: 1 }],
  }),
  InventoryReleased: () => ({ orderId: ORDER_ID }),
  InventoryCommitted: () => ({ orderId: ORDER_ID }),
  InventoryShipped: () => ({ orderId: ORDER_ID }),
  AuthorizePayment: () => ({
    orderId: ORDER_ID,
    amount: usd(2598),
    token: "tok_visa",
    idempotencyKey: paymentIdempotencyKey(ORDER_ID, "authorize"),
  }),
  CapturePayment: () => ({
    orderId: ORDER_ID,
    amount: usd(2598),
    idempotencyKey: paymentIdempotencyKey(ORDER_ID, "capture"),
  }),
  VoidPayment: () => ({
    orderId: ORDER_ID,
    amount: usd(2598),
    idempotencyKey: paymentIdempotencyKey(ORDER_ID, "void"),
  }),
  RefundPayment: () => ({
    orderId: ORDER_ID,
    amount: usd(2598),
    idempotencyKey: paymentIdempotencyKey(ORDER_ID, "refund"),
  }),
  PaymentAuthorized: () => ({ orderId: ORDER_ID, amount: usd(2598), authorizationId: "auth-1" }),
  PaymentDeclined: () => ({
    orderId: ORDER_ID,
    operation: "authorize",
    reason: "InsufficientFunds",
  }),
  PaymentCaptured: () => ({ orderId: ORDER_ID, amount: usd(2598), captureId: "cap-1" }),
  PaymentVoided: () => ({ orderId: ORDER_ID }),
  PaymentRefunded: () => ({ orderId: ORDER_ID, amount: usd(2598), refundId: "ref-1" }),
  SendNotification: () => ({
    orderId: ORDER_ID,
    recipient: "ada@example.com",
    template: "OrderConfirmed",
    items: [{ sku: line.sku, name: line.name, quantity: line.quantity, lineTotal: line.lineTotal }],
    total: usd(2598),
  }),
  OrderPlaced: () => ({
    orderId: ORDER_ID,
    customerId: "customer-1",
    email: "ada@example.com",
    currency: "USD",
    items: [line],
    total: usd(2598),
  }),
  OrderConfirmed: () => ({ orderId: ORDER_ID, customerId: "customer-1", total: usd(2598) }),
  OrderCancelled: () => ({
    orderId: ORDER_ID,
    customerId: "customer-1",
    reason: "CancelledByCustomer",
  }),
  OrderFailed: () => ({ orderId: ORDER_ID, customerId: "customer-1", reason: "OutOfStock" }),
  OrderShipped: () => ({ orderId: ORDER_ID, customerId: "customer-1" }),
  OrderDelivered: () => ({ orderId: ORDER_ID, customerId: "customer-1" }),
};

/** A complete, valid envelope of `type` as it travels (time as text). */
export function anEnvelope(
  type: MessageType,
  data: Record<string, unknown> = VALID_PAYLOADS[type](),
) {
  return {
    specversion: "1.0",
    id: "msg-1",
    type,
    source: MESSAGE_SOURCES.saga,
    subject: ORDER_ID,
    time: "2026-01-01T10:00:00.000Z",
    datacontenttype: "application/json",
    correlationid: "msg-0",
    causationid: "msg-0",
    data,
  };
}
