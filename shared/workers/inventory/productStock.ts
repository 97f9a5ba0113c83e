import type { Container, ItemDefinition } from "@azure/cosmos";
import { isPreconditionFailed } from "../cosmosErrors";

/**
 * Stock counters of one product document (products container, partition /sku) and the
 * holds that make every counter change idempotent: `holds[orderId]` is written in the same
 * ETag-guarded replace as the counter it moved, so applying a hold twice, or releasing it
 * twice, changes nothing. Invariant kept by every write: reserved + committed ≤ stock. Holds
 * live only while an order is in flight (released, restocked or shipped ends them), so the
 * document stays small however many orders a SKU has sold.
 * Other fields of the document (name, price, …) are carried over untouched.
 */
export interface StockHold {
  readonly quantity: number;
  readonly state: "reserved" | "committed";
}

interface ProductStockDocument extends ItemDefinition {
  sku: string;
  stock: number;
  reserved?: number;
  committed?: number;
  holds?: Record<string, StockHold>;
}

export type HoldOutcome =
  | { readonly kind: "held" }
  | { readonly kind: "short"; readonly available: number }
  | { readonly kind: "unknownSku" };

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

export class ProductStock {
  constructor(
    private readonly products: Container,
    private readonly options: ProductStockOptions,
  ) {}

  /** Holds `quantity` of `sku` for the order if available (or if already held). */
  hold(sku: string, orderId: string, quantity: number): Promise<HoldOutcome> {
    return this.change(sku, (doc) => {
      if (doc.holds?.[orderId]) return { outcome: { kind: "held" } };
      const available = doc.stock - (doc.reserved ?? 0) - (doc.committed ?? 0);
      if (available < quantity)
        return { outcome: { kind: "short", available: Math.max(0, available) } };
      doc.reserved = (doc.reserved ?? 0) + quantity;
      doc.holds = { ...doc.holds, [orderId]: { quantity, state: "reserved" } };
      return { outcome: { kind: "held" }, write: true };
    });
  }

  /** What is available now, without holding anything (for naming every short line). */
  async available(sku: string): Promise<number | undefined> {
    const { resource } = await this.products.item(sku, sku).read<ProductStockDocument>();
    if (!resource) return undefined;
    return Math.max(0, resource.stock - (resource.reserved ?? 0) - (resource.committed ?? 0));
  }

  /** Turns the order's hold into a commitment (reserved → committed). */
  async commit(sku: string, orderId: string): Promise<void> {
    await this.change(sku, (doc) => {
      const hold = doc.holds?.[orderId];
      if (!hold || hold.state === "committed") return { outcome: { kind: "held" } };
      doc.reserved = (doc.reserved ?? 0) - hold.quantity;
      doc.committed = (doc.committed ?? 0) + hold.quantity;
      doc.holds = { ...doc.holds, [orderId]: { quantity: hold.quantity, state: "committed" } };
      return { outcome: { kind: "held" }, write: true };
    });
  }

  /**
   * The order's committed units have left the warehouse: stock and committed both drop by the
   * hold's quantity and the hold goes. A repeat finds no hold and changes nothing; a hold
   * that is only reserved is left alone (only a commitment ships).
   */
  async ship(sku: string, orderId: string): Promise<void> {
    await this.change(sku, (doc) => {
      const hold = doc.holds?.[orderId];
      if (hold?.state !== "committed") return { outcome: { kind: "held" } };
      doc.stock -= hold.quantity;
      doc.committed = (doc.committed ?? 0) - hold.quantity;
      dropHold(doc, orderId);
      return { outcome: { kind: "held" }, write: true };
    });
  }

  /** Gives back whatever the order holds: a reservation is released, a commitment restocked. */
  async release(sku: string, orderId: string): Promise<void> {
    await this.change(sku, (doc) => {
      const hold = doc.holds?.[orderId];
      if (!hold) return { outcome: { kind: "held" } };
      if (hold.state === "reserved") doc.reserved = (doc.reserved ?? 0) - hold.quantity;
      else doc.committed = (doc.committed ?? 0) - hold.quantity;
      dropHold(doc, orderId);
      return { outcome: { kind: "held" }, write: true };
    });
  }

  private async change(
    sku: string,
    apply: (doc: ProductStockDocument) => { outcome: HoldOutcome; write?: boolean },
  ): Promise<HoldOutcome> {
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt++) {
      const { resource, etag } = await this.products.item(sku, sku).read<ProductStockDocument>();
      if (!resource) return { kind: "unknownSku" };
      const { outcome, write } = apply(resource);
      if (!write) return outcome;
      try {
        await this.products
          .item(sku, sku)
          .replace(resource, { accessCondition: { type: "IfMatch", condition: etag ?? "" } });
        return outcome;
      } catch (error) {
        if (!isPreconditionFailed(error)) throw error;
        await this.options.backoff(attempt);
      }
    }
    throw new StockContentionError(sku, this.options.maxAttempts);
  }
}

function dropHold(doc: ProductStockDocument, orderId: string): void {
  const holds = { ...doc.holds };
  delete holds[orderId];
  doc.holds = holds;
}

/** Jittered exponential backoff, capped: spreads contending writers on a hot SKU. */
export function jitteredBackoff(
  baseInMs: number,
  capInMs: number,
): (attempt: number) => Promise<void> {
  return (attempt) => {
    const ceiling = Math.min(capInMs, baseInMs * 2 ** Math.min(attempt, 10));
    const delay = Math.random() * ceiling;
    return new Promise((resolve) => setTimeout(resolve, delay));
  };
}
