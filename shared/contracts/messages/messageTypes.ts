/**
 * The CloudEvents `type` of every message, also copied to the Service Bus `subject` and
 * `applicationProperties.type` so subscription rules can filter on it. Plain names rather
 * than reverse-DNS ones, because they appear in SQL filters and dashboards.
 */
export const MESSAGE_TYPES = {
  // commands to the inventory worker
  ReserveInventory: "ReserveInventory",
  ReleaseInventory: "ReleaseInventory",
  CommitInventory: "CommitInventory",
  ShipInventory: "ShipInventory",
  // replies from the inventory worker
  InventoryReserved: "InventoryReserved",
  InventoryRejected: "InventoryRejected",
  InventoryReleased: "InventoryReleased",
  InventoryCommitted: "InventoryCommitted",
  InventoryShipped: "InventoryShipped",
  // commands to the payment worker
  AuthorizePayment: "AuthorizePayment",
  CapturePayment: "CapturePayment",
  VoidPayment: "VoidPayment",
  RefundPayment: "RefundPayment",
  // replies from the payment worker
  PaymentAuthorized: "PaymentAuthorized",
  PaymentDeclined: "PaymentDeclined",
  PaymentCaptured: "PaymentCaptured",
  PaymentVoided: "PaymentVoided",
  PaymentRefunded: "PaymentRefunded",
  // command to the notification worker
  SendNotification: "SendNotification",
  // lifecycle events on the order-events topic
  OrderPlaced: "OrderPlaced",
  OrderConfirmed: "OrderConfirmed",
  OrderCancelled: "OrderCancelled",
  OrderFailed: "OrderFailed",
  OrderShipped: "OrderShipped",
  OrderDelivered: "OrderDelivered",
} as const;
export type MessageType = (typeof MESSAGE_TYPES)[keyof typeof MESSAGE_TYPES];

/** CloudEvents `source` of each producer (a URI reference, as the spec asks). */
export const MESSAGE_SOURCES = {
  api: "/order-processing/api",
  saga: "/order-processing/saga",
  inventory: "/order-processing/inventory",
  payments: "/order-processing/payments",
  notifications: "/order-processing/notifications",
} as const;
