import type { SendNotificationData } from "../contracts/messages/sendNotification";
import { escapeHtml, formatMoney, renderNotification } from "./renderNotification";

const base = { orderId: "order-1", recipient: "ada@example.com", customerName: "Ada <Lovelace>" };
const usd = (amount: number) => ({ amount, currency: "USD" });

const cases: SendNotificationData[] = [
  {
    ...base,
    template: "OrderConfirmed",
    items: [{ sku: "SKU-0001", name: "Teapot", quantity: 2, lineTotal: usd(2598) }],
    total: usd(2598),
  },
  { ...base, template: "OrderCancelled", reason: "CancelledByCustomer", refund: usd(2598) },
  { ...base, template: "OrderFailed", reason: "OutOfStock" },
  { ...base, template: "OrderShipped" },
  { ...base, template: "OrderDelivered" },
];

describe("renderNotification", () => {
  it.each(cases.map((c) => [c.template, c] as const))(
    "renders %s as text and HTML naming the order",
    (_, data) => {
      const email = renderNotification(data);
      expect(email.subject).toContain("order-1");
      expect(email.text).toContain("order-1");
      expect(email.html).toContain("order-1");
      expect(email.html).toContain("Ada &lt;Lovelace&gt;");
      expect(email.text).toContain("Ada <Lovelace>");
    },
  );

  it("lists lines and the total of a confirmed order", () => {
    const email = renderNotification(cases[0] as SendNotificationData);
    expect(email.text).toContain("2 × Teapot (SKU-0001): $25.98");
    expect(email.html).toContain("$25.98");
  });

  it("says the card was not charged when a cancel refunds nothing", () => {
    const email = renderNotification({
      ...base,
      template: "OrderCancelled",
      reason: "CancelledByOperator",
      refund: usd(0),
    });
    expect(email.text).toContain("not charged");
    expect(email.text).toContain("by our team");
  });

  it("formats minor units with the currency's decimals and escapes HTML", () => {
    expect(formatMoney({ amount: 1234, currency: "JPY" })).toBe("¥1,234");
    expect(formatMoney(usd(5))).toBe("$0.05");
    expect(escapeHtml(`<a href="x">&'`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  });
});
