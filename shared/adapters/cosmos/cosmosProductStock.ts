import type { Container } from "@azure/cosmos";
import type { HoldOutcome, ProductStock } from "../../ports/productStock";
import { isPreconditionFailed } from "./cosmosErrors";
import type { ProductDocument } from "./productDocument";

export interface ProductStockOptions {
  /** ETag conflicts tolerated per change before the message is handed back for redelivery. */
  readonly maxAttempts: number;
  readonly backoff: (attempt: number) => Promise<void>;
}

export class StockContentionError extends Error {
  constructor(sku: string, attempts: number) {
    super(`product ${sku} changed under ${attempts} attempts in a row; retry later`);
    this.name = "StockContentionError";
  }
}

/** What one change decides on the document it read: its outcome, and the document to write. */
interface Change {
  readonly outcome: HoldOutcome;
  readonly next?: ProductDocument;
}

const HELD: HoldOutcome = { kind: "held" };

/**
 * Product stock on the product documents (products container, partition /sku): a hold and
 * the counter it moves are one ETag-guarded replace of the document, retried on 412 with
 * `backoff`. Other fields of the document (name, price, …) are carried over untouched. The
 * document holds only in-flight orders, so it stays small however many orders a SKU sold.
 */
export class CosmosProductStock implements ProductStock {
  constructor(
    private readonly products: Container,
    private readonly options: ProductStockOptions,
  ) {}

  hold(sku: string, orderId: string, quantity: number): Promise<HoldOutcome> {
    return this.change(sku, (doc) => {
      if (doc.holds?.[orderId]) return { outcome: HELD };
      const available = availableIn(doc);
      if (available < quantity)
        return { outcome: { kind: "short", available: Math.max(0, available) } };
      return {
        outcome: HELD,
        next: {
          ...doc,
          reserved: (doc.reserved ?? 0) + quantity,
          holds: { ...doc.holds, [orderId]: { quantity, state: "reserved" } },
        },
      };
    });
  }

  async available(sku: string): Promise<number | undefined> {
    const { resource } = await this.products.item(sku, sku).read<ProductDocument>();
    if (!resource) return undefined;
    return Math.max(0, availableIn(resource));
  }

  async commit(sku: string, orderId: string): Promise<void> {
    await this.change(sku, (doc) => {
      const hold = doc.holds?.[orderId];
      if (!hold || hold.state === "committed") return { outcome: HELD };
      return {
        outcome: HELD,
        next: {
          ...doc,
          reserved: (doc.reserved ?? 0) - hold.quantity,
          committed: (doc.committed ?? 0) + hold.quantity,
          holds: { ...doc.holds, [orderId]: { quantity: hold.quantity, state: "committed" } },
        },
      };
    });
  }

  async ship(sku: string, orderId: string): Promise<void> {
    await this.change(sku, (doc) => {
      const hold = doc.holds?.[orderId];
      if (hold?.state !== "committed") return { outcome: HELD };
      return {
        outcome: HELD,
        next: {
          ...doc,
          stock: doc.stock - hold.quantity,
          committed: (doc.committed ?? 0) - hold.quantity,
          holds: withoutHold(doc, orderId),
        },
      };
    });
  }

  async release(sku: string, orderId: string): Promise<void> {
    await this.change(sku, (doc) => {
      const hold = doc.holds?.[orderId];
      if (!hold) return { outcome: HELD };
      return {
        outcome: HELD,
        next: {
          ...doc,
          ...(hold.state === "reserved"
            ? { reserved: (doc.reserved ?? 0) - hold.quantity }
            : { committed: (doc.committed ?? 0) - hold.quantity }),
          holds: withoutHold(doc, orderId),
        },
      };
    });
  }

  private async change(
    sku: string,
    decide: (doc: ProductDocument) => Change,
  ): Promise<HoldOutcome> {
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt++) {
      const item = this.products.item(sku, sku);
      const { resource, etag } = await item.read<ProductDocument>();
      if (!resource) return { kind: "unknownSku" };
      const { outcome, next } = decide(resource);
      if (!next) return outcome;
      try {
        await item.replace(next, { accessCondition: { type: "IfMatch", condition: etag ?? "" } });
        return outcome;
      } catch (error) {
        if (!isPreconditionFailed(error)) throw error;
        await this.options.backoff(attempt);
      }
    }
    throw new StockContentionError(sku, this.options.maxAttempts);
  }
}

function availableIn(doc: ProductDocument): number {
  return doc.stock - (doc.reserved ?? 0) - (doc.committed ?? 0);
}

function withoutHold(doc: ProductDocument, orderId: string): ProductDocument["holds"] {
  const holds = { ...doc.holds };
  delete holds[orderId];
  return holds;
}
