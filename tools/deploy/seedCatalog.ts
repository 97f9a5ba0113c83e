import type { Container } from "@azure/cosmos";
import { CosmosCatalogRepository } from "../../shared/adapters/cosmos/cosmosCatalogRepository";
import { CATALOG_SIZE, catalogSeed, catalogSku } from "../../shared/catalog/catalogSeed";

/**
 * Seeds the catalog into a deployed products container, create-if-absent: the local stack
 * seeds itself at start-up, but in Azure the app's identity has no rights to create
 * containers and the catalog would stay empty. Existing products keep their stock counters.
 * Returns how many products were created.
 */
export async function seedCatalogIfIncomplete(products: Container): Promise<number> {
  const catalog = new CosmosCatalogRepository(products);
  // The last product exists only once a seeding run went all the way through.
  if ((await catalog.get(catalogSku(CATALOG_SIZE))) !== undefined) return 0;
  return catalog.seed(catalogSeed());
}
