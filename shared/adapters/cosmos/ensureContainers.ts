import type { CosmosClient, Database } from "@azure/cosmos";
import { COSMOS_CONTAINERS } from "../../config/names";
import { isConflict } from "./cosmosErrors";

/**
 * `createIfNotExists` reads, then creates on a 404: two hosts starting at once (`npm start --
 * --instances N`) may both miss the read, and the one that loses the create gets a 409. The
 * resource exists then, so asking again finds it.
 */
async function createIfNotExists<T>(create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    if (!isConflict(error)) throw error;
    return create();
  }
}

/**
 * Creates the database and every container of names.ts when missing. Local start-up only:
 * in Azure, Bicep owns them and the identity has no control-plane rights.
 */
export async function ensureContainers(
  client: CosmosClient,
  databaseName: string,
): Promise<Database> {
  const { database } = await createIfNotExists(() =>
    client.databases.createIfNotExists({ id: databaseName }),
  );
  for (const definition of Object.values(COSMOS_CONTAINERS)) {
    await createIfNotExists(() =>
      database.containers.createIfNotExists({
        id: definition.id,
        partitionKey: { paths: [definition.partitionKeyPath] },
        ...("defaultTtl" in definition ? { defaultTtl: definition.defaultTtl } : {}),
      }),
    );
  }
  return database;
}
