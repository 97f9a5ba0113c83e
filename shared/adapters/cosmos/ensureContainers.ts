import type { CosmosClient, Database } from "@azure/cosmos";
import { COSMOS_CONTAINERS } from "../../config/names";

/**
 * Creates the database and every container of names.ts when missing. Local start-up only:
 * in Azure, Bicep owns them and the identity has no control-plane rights.
 */
export async function ensureContainers(
  client: CosmosClient,
  databaseName: string,
): Promise<Database> {
  const { database } = await client.databases.createIfNotExists({ id: databaseName });
  for (const definition of Object.values(COSMOS_CONTAINERS)) {
    await database.containers.createIfNotExists({
      id: definition.id,
      partitionKey: { paths: [definition.partitionKeyPath] },
      ...("defaultTtl" in definition ? { defaultTtl: definition.defaultTtl } : {}),
    });
  }
  return database;
}
