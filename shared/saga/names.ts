/**
 * Names the saga is known by on the Durable engine: the orchestrator, its activities and the
 * external events it waits for. Functions registrations, the Order API (which raises the
 * request events) and the reply relay import these; the strings live nowhere else.
 */

/** The orchestrator; one instance per order, instance id = order id. */
export const ORDER_SAGA = "orderSaga";

/** Activities the orchestrator calls; each is a side effect the orchestrator may not do itself. */
export const SAGA_ACTIVITIES = {
  /** Puts a command on a participant's queue (CloudEvents envelope, deterministic message id). */
  sendCommand: "orderSaga_sendCommand",
  /** Moves the order's status and timeline (idempotent, ETag-guarded) and logs the saga step. */
  updateOrderStatus: "orderSaga_updateOrderStatus",
  /** Publishes a lifecycle event (OrderConfirmed, OrderCancelled, …) to `order-events`. */
  publishEvent: "orderSaga_publishEvent",
} as const;
export type SagaActivityName = (typeof SAGA_ACTIVITIES)[keyof typeof SAGA_ACTIVITIES];

/** Requests the Order API raises on the instance (event name = these strings). */
export const SAGA_REQUESTS = {
  cancel: "CancelRequested",
  ship: "ShipRequested",
  deliver: "DeliverRequested",
} as const;

/**
 * Replies the participants send; sagaReplies raises each on the instance with the reply's
 * CloudEvents `type` as the event name, so these equal the contracts' reply types.
 */
export const SAGA_REPLIES = {
  inventoryReserved: "InventoryReserved",
  inventoryRejected: "InventoryRejected",
  inventoryReleased: "InventoryReleased",
  inventoryCommitted: "InventoryCommitted",
  inventoryShipped: "InventoryShipped",
  paymentAuthorized: "PaymentAuthorized",
  paymentDeclined: "PaymentDeclined",
  paymentCaptured: "PaymentCaptured",
  paymentVoided: "PaymentVoided",
  paymentRefunded: "PaymentRefunded",
} as const;
export type SagaReplyType = (typeof SAGA_REPLIES)[keyof typeof SAGA_REPLIES];
export const SAGA_REPLY_TYPES: readonly SagaReplyType[] = Object.values(SAGA_REPLIES);
