import { moneyEquals, multiplyMoney, sumMoney } from "./money";
import { OrderSchema, type Order } from "./order";
import { InvalidOrderError } from "./orderErrors";

/** The stored form. The record is already plain JSON data; this copies it deeply. */
export function orderToDocument(order: Order): Order {
  return structuredClone(order);
}

/**
 * Reads a stored document back, dropping unknown fields (such as Cosmos's `_etag`) and
 * checking the invariants the schema alone cannot express.
 */
export function orderFromDocument(document: unknown): Order {
  const parsed = OrderSchema.safeParse(document);
  if (!parsed.success) {
    throw new InvalidOrderError(
      parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
    );
  }
  const order = parsed.data;
  const problems: string[] = [];
  for (const line of order.items) {
    const expected = multiplyMoney(line.unitPrice, line.quantity);
    if (line.unitPrice.currency !== order.currency) problems.push(`${line.sku}: wrong currency`);
    if (!moneyEquals(expected, line.lineTotal)) problems.push(`${line.sku}: wrong line total`);
  }
  if (problems.length === 0) {
    const total = sumMoney(
      order.currency,
      order.items.map((line) => line.lineTotal),
    );
    if (!moneyEquals(total, order.total)) problems.push("total is not the sum of the lines");
  }
  const last = order.timeline[order.timeline.length - 1];
  if (last?.status !== order.status) problems.push("timeline does not end in the status");
  if (problems.length > 0) throw new InvalidOrderError(problems);
  return order;
}
