import { renderSms } from "./renderSms";

const base = { orderId: "o-1", recipient: "ada@example.com" };
const usd = (amount: number) => ({ amount, currency: "USD" });

describe("renderSms", () => {
  it.each([
    [
      { ...base, template: "OrderConfirmed" as const, items: [], total: usd(9798) },
      "Order Processing: Your order o-1 is confirmed. Total $97.98.",
    ],
    [
      {
        ...base,
        template: "OrderCancelled" as const,
        reason: "CancelledByCustomer" as const,
        refund: usd(9798),
      },
      "Order Processing: Your order o-1 was cancelled as you asked. $97.98 goes back to your card.",
    ],
    [
      {
        ...base,
        template: "OrderCancelled" as const,
        reason: "CancelledByOperator" as const,
        refund: usd(0),
      },
      "Order Processing: Your order o-1 was cancelled by our team. Your card was not charged.",
    ],
    [
      { ...base, template: "OrderFailed" as const, reason: "PaymentDeclined" as const },
      "Order Processing: We could not complete your order o-1: your payment was declined. Your card was not charged.",
    ],
    [
      { ...base, template: "OrderShipped" as const },
      "Order Processing: Your order o-1 has shipped.",
    ],
    [
      { ...base, template: "OrderDelivered" as const },
      "Order Processing: Your order o-1 was delivered.",
    ],
  ])("says what the email says, in one line: %j", (data, text) => {
    expect(renderSms(data)).toBe(text);
  });
});
