import type { ProductRecord } from "../ports/catalogRepository";

/**
 * The local catalog: a deterministic function of the index, so every start and every test
 * sees the same products without any randomness. Prices (USD minor units) and stock are
 * spread by small co-prime strides; every 17th product is out of stock.
 */
export const CATALOG_SIZE = 120;

const ADJECTIVES = ["Classic", "Compact", "Deluxe", "Eco", "Rugged", "Smart", "Travel", "Ultra"];
const NOUNS = [
  "Backpack",
  "Bottle",
  "Desk Lamp",
  "Headphones",
  "Kettle",
  "Keyboard",
  "Mug",
  "Notebook",
  "Pen Set",
  "Speaker",
  "Umbrella",
  "Wallet",
];

export function catalogSku(index: number): string {
  return `SKU-${String(index).padStart(4, "0")}`;
}

export function catalogProduct(index: number): ProductRecord {
  const adjective = ADJECTIVES[index % ADJECTIVES.length] as string;
  const noun = NOUNS[(index * 7) % NOUNS.length] as string;
  const name = `${adjective} ${noun} ${index}`;
  // 4.99 .. about 250.00, ending in 99 cents.
  const amount = 499 + ((index * 3719) % 245) * 100;
  const stock = index % 17 === 0 ? 0 : 5 + ((index * 37) % 196);
  return {
    sku: catalogSku(index),
    name,
    description: `${name}: a ${adjective.toLowerCase()} ${noun.toLowerCase()} for everyday use.`,
    price: { amount, currency: "USD" },
    stock,
    reserved: 0,
    committed: 0,
  };
}

/** Products SKU-0001 … SKU-0120. */
export function catalogSeed(size: number = CATALOG_SIZE): ProductRecord[] {
  return Array.from({ length: size }, (_, i) => catalogProduct(i + 1));
}
