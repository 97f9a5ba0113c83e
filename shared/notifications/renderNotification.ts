import type { Money } from "../domain";
import type { SendNotificationData } from "../contracts/messages/sendNotification";

/** One email, rendered: a subject plus the same content as plain text and as HTML. */
export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export const FAILURE_TEXT: Record<string, string> = {
  OutOfStock: "some items in your order are out of stock",
  PaymentDeclined: "your payment was declined",
  PaymentTimeout: "we could not confirm your payment in time",
  InventoryTimeout: "we could not confirm stock for your order in time",
};

export const CANCEL_TEXT: Record<string, string> = {
  CancelledByCustomer: "as you asked",
  CancelledByOperator: "by our team",
};

/** Minor units to a display amount, with the currency's own number of decimals. */
export function formatMoney(money: Money): string {
  const format = new Intl.NumberFormat("en-US", { style: "currency", currency: money.currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(money.amount / 10 ** digits);
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/**
 * The five templates (Confirmed, Cancelled, Failed, Shipped, Delivered). Each paragraph is
 * written once and turned into both bodies, so the text and HTML versions cannot drift.
 */
export function renderNotification(data: SendNotificationData): RenderedEmail {
  const greeting = `Hello${data.customerName ? ` ${data.customerName}` : ""},`;
  let subject: string;
  let paragraphs: string[];
  let table: Array<[string, string]> = [];
  switch (data.template) {
    case "OrderConfirmed":
      subject = `Your order ${data.orderId} is confirmed`;
      paragraphs = [
        `Thank you! Your order ${data.orderId} is confirmed and your payment has been taken.`,
      ];
      table = [
        ...data.items.map((line): [string, string] => [
          `${line.quantity} × ${line.name} (${line.sku})`,
          formatMoney(line.lineTotal),
        ]),
        ["Total", formatMoney(data.total)],
      ];
      break;
    case "OrderCancelled":
      subject = `Your order ${data.orderId} is cancelled`;
      paragraphs = [
        `Your order ${data.orderId} was cancelled ${CANCEL_TEXT[data.reason] ?? ""}.`.replace(
          " .",
          ".",
        ),
        data.refund.amount > 0
          ? `${formatMoney(data.refund)} goes back to your card; banks take a few days to show it.`
          : "Your card was not charged.",
      ];
      break;
    case "OrderFailed":
      subject = `We could not complete your order ${data.orderId}`;
      paragraphs = [
        `We are sorry: ${FAILURE_TEXT[data.reason] ?? "we could not complete it"}, so order ${data.orderId} was not placed.`,
        "Your card was not charged, and any hold on it is released.",
      ];
      break;
    case "OrderShipped":
      subject = `Your order ${data.orderId} has shipped`;
      paragraphs = [`Good news: your order ${data.orderId} is on its way.`];
      break;
    case "OrderDelivered":
      subject = `Your order ${data.orderId} was delivered`;
      paragraphs = [`Your order ${data.orderId} was delivered. We hope you enjoy it.`];
      break;
  }
  const text = [
    greeting,
    "",
    ...paragraphs.flatMap((p) => [p, ""]),
    ...table.map(([what, amount]) => `  ${what}: ${amount}`),
    ...(table.length ? [""] : []),
    "Order Processing",
  ].join("\n");
  const rows = table
    .map(
      ([what, amount]) =>
        `<tr><td>${escapeHtml(what)}</td><td style="text-align:right">${escapeHtml(amount)}</td></tr>`,
    )
    .join("");
  const html = [
    "<!DOCTYPE html>",
    `<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
    `<p>${escapeHtml(greeting)}</p>`,
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    ...(rows ? [`<table>${rows}</table>`] : []),
    "<p>Order Processing</p>",
    "</body></html>",
  ].join("\n");
  return { subject, text, html };
}
