import { zeroMoney } from "../domain";
import type { SendNotificationData } from "../contracts/messages/sendNotification";
import type { SagaInput, SagaLifecycleEvent } from "./sagaTypes";

/**
 * The SendNotification payload of each stage, from the saga's input alone (the worker never
 * reads the order store). Pure, so the orchestrator may call it.
 */
export function notificationFor(
  template: "Confirmed" | "Cancelled" | "Failed" | "Shipped" | "Delivered",
  input: SagaInput,
  event: SagaLifecycleEvent,
  paymentHeld: boolean,
): SendNotificationData {
  const base = {
    orderId: input.orderId,
    recipient: input.email,
    ...(input.phone ? { phone: input.phone } : {}),
    ...(input.customerName ? { customerName: input.customerName } : {}),
  };
  switch (template) {
    case "Confirmed":
      return {
        ...base,
        template: "OrderConfirmed",
        items: input.items.map(({ sku, name, quantity, lineTotal }) => ({
          sku,
          name,
          quantity,
          lineTotal,
        })),
        total: input.total,
      };
    case "Cancelled":
      if (event.type !== "OrderCancelled")
        throw new Error("a Cancelled email needs OrderCancelled");
      return {
        ...base,
        template: "OrderCancelled",
        reason: event.data.reason,
        refund: paymentHeld ? input.total : zeroMoney(input.total.currency),
      };
    case "Failed":
      if (event.type !== "OrderFailed") throw new Error("a Failed email needs OrderFailed");
      return { ...base, template: "OrderFailed", reason: event.data.reason };
    case "Shipped":
      return { ...base, template: "OrderShipped" };
    case "Delivered":
      return { ...base, template: "OrderDelivered" };
  }
}
