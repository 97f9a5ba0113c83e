import type { Money } from "../../domain";
import type { StockHold } from "../../ports/productStock";

/**
 * A product in the `products` container (partition /sku, `id` = sku). The stock counters
 * are shared with the inventory worker, which moves `reserved`/`committed` and keeps
 * `holds` (per-order quantities) in the same ETag-guarded writes; the API only sets `stock`.
 */
export interface ProductDocument {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly price: Money;
  readonly stock: number;
  readonly reserved?: number;
  readonly committed?: number;
  readonly holds?: Readonly<Record<string, StockHold>>;
}
