import { COSMOS_CONTAINERS, COSMOS_DATABASE_DEFAULT } from "../../shared/config/names";

/** The shape of bicep/cosmos-containers.json, which bicep/modules/cosmos.bicep loops over. */
export interface CosmosContainersDocument {
  readonly databaseName: string;
  readonly containers: ReadonlyArray<{
    readonly id: string;
    readonly partitionKeyPath: string;
    readonly defaultTtl?: number;
  }>;
}

/** Relative to the repository root. */
export const COSMOS_CONTAINERS_JSON_PATH = "bicep/cosmos-containers.json";

/**
 * The container list Bicep should declare, derived from names.ts (the single source of
 * truth). Bicep cannot import TypeScript, so the derived JSON is committed and a test
 * proves it equal to this.
 */
export function cosmosContainersDocument(): CosmosContainersDocument {
  return {
    databaseName: COSMOS_DATABASE_DEFAULT,
    containers: Object.values(COSMOS_CONTAINERS).map((c) => ({
      id: c.id,
      partitionKeyPath: c.partitionKeyPath,
      ...("defaultTtl" in c ? { defaultTtl: c.defaultTtl } : {}),
    })),
  };
}
