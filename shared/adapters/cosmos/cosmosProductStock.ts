import type { Container, PatchOperation } from "@azure/cosmos";
import type { HoldOutcome, ProductStock } from "../../ports/productStock";
import { cosmosStatus, isPreconditionFailed } from "./cosmosErrors";
import { conditionalPatch } from "./conditionalPatch";
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
 * Order ids that can stand literally in a patch condition and path: no quoting and no JSON
 * Pointer escapes. The ids the API issues are UUIDs; any other id takes the read-and-replace
 * path.
 */
const PATCHABLE_ID = /^[A-Za-z0-9-]{1,128}$/;

/**
 * Product stock on the product documents (products container, partition /sku). The usual hold
 * and commit are one conditional patch each: the server moves the counter and writes the hold
 * only if the condition (the hold absent and the stock sufficient; the hold reserved with this
 * quantity) holds when it applies them, which is the same rule the read-and-replace path
 * decides, evaluated atomically on the document. When the condition fails (a repeat, a
 * shortage, a document that has no `holds` yet, a hold written otherwise) the change is decided
 * on the document read and written as one ETag-guarded replace, retried on 412 with `backoff`;
 * so does every ship and release. Other fields of the document (name, price, …) are carried
 * over untouched. The document holds only in-flight orders, so it stays small however many
 * orders a SKU sold.
 */
export class CosmosProductStock implements ProductStock {
  constructor(
    private readonly products: Container,
    private readonly options: ProductStockOptions,
  ) {}

  async hold(sku: string, orderId: string, quantity: number): Promise<HoldOutcome> {
    const patched = await this.patchIf(
      sku,
      orderId,
      quantity,
      (hold) =>
        `FROM c WHERE IS_DEFINED(c.holds) AND NOT IS_DEFINED(${hold}) AND c.stock - (c.reserved ?? 0) - (c.committed ?? 0) >= ${quantity}`,
      [
        { op: "incr", path: "/reserved", value: quantity },
        { op: "set", path: `/holds/${orderId}`, value: { quantity, state: "reserved" } },
      ],
    );
    if (patched !== "conditionFailed") return patched;
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

  async commit(sku: string, orderId: string, quantity: number): Promise<void> {
    const patched = await this.patchIf(
      sku,
      orderId,
      quantity,
      (hold) => `FROM c WHERE ${hold}.state = "reserved" AND ${hold}.quantity = ${quantity}`,
      [
        { op: "incr", path: "/reserved", value: -quantity },
        { op: "incr", path: "/committed", value: quantity },
        { op: "set", path: `/holds/${orderId}/state`, value: "committed" },
      ],
    );
    if (patched !== "conditionFailed") return;
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

  /**
   * One conditional patch of the product, for ids and quantities that can be written into
   * the condition literally; "conditionFailed" sends the caller to the
   * read-and-replace path, which decides exactly. So does a store that refuses the patch
   * (400): the rule never depends on the patch being accepted.
   */
  private async patchIf(
    sku: string,
    orderId: string,
    quantity: number,
    condition: (hold: string) => string,
    operations: PatchOperation[],
  ): Promise<HoldOutcome | "conditionFailed"> {
    if (!PATCHABLE_ID.test(orderId) || !Number.isSafeInteger(quantity) || quantity <= 0) {
      return "conditionFailed";
    }
    let patched;
    try {
      patched = await conditionalPatch<ProductDocument>(
        this.products.item(sku, sku),
        condition(`c.holds["${orderId}"]`),
        operations,
      );
    } catch (error) {
      if (cosmosStatus(error) === 400) return "conditionFailed";
      throw error;
    }
    if (patched === "absent") return { kind: "unknownSku" };
    return patched === "conditionFailed" ? patched : HELD;
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
