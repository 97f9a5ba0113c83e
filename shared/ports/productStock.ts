/**
 * The stock counters of the products and the per-order holds that make every change
 * idempotent: a hold is written together with the counter it moved, so applying a hold
 * twice, or releasing it twice, changes nothing. Invariant kept by every change:
 * reserved + committed ≤ stock. A hold lives only while its order is in flight (released,
 * restocked or shipped ends it).
 */
export interface StockHold {
  readonly quantity: number;
  readonly state: "reserved" | "committed";
}

export type HoldOutcome =
  | { readonly kind: "held" }
  | { readonly kind: "short"; readonly available: number }
  | { readonly kind: "unknownSku" };

export interface ProductStock {
  /** Holds `quantity` of `sku` for the order if available (or if already held). */
  hold(sku: string, orderId: string, quantity: number): Promise<HoldOutcome>;
  /** What is available now, without holding anything (for naming every short line). */
  available(sku: string): Promise<number | undefined>;
  /**
   * Turns the order's hold into a commitment (reserved → committed). `quantity`: the line's,
   * which the hold is expected to carry (a hold of another quantity is committed as it is).
   */
  commit(sku: string, orderId: string, quantity: number): Promise<void>;
  /**
   * The order's committed units have left the warehouse: stock and committed both drop by
   * the hold's quantity and the hold goes. A repeat finds no hold and changes nothing; a
   * hold that is only reserved is left alone (only a commitment ships).
   */
  ship(sku: string, orderId: string): Promise<void>;
  /** Gives back whatever the order holds: a reservation is released, a commitment restocked. */
  release(sku: string, orderId: string): Promise<void>;
}
