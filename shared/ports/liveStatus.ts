import type { OrderStatusChanged } from "../contracts/live/orderStatusChanged";

/**
 * Pushes an order's new status to its customer's open pages (Azure SignalR Service). Best
 * effort by contract: the status is already stored, and a client re-reads it on reconnect.
 */
export interface LiveStatusPush {
  /** Rejects when the service refused or could not be reached. */
  orderStatusChanged(customerId: string, change: OrderStatusChanged): Promise<void>;
}
