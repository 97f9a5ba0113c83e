import { COSMOS_CONTAINERS, COSMOS_DATABASE_DEFAULT } from "../../shared/config/names";
import { loadedFiles, readRepoFile, stripBicepComments } from "./bicepText";
import { COSMOS_CONTAINERS_JSON_PATH, cosmosContainersDocument } from "./cosmosContainersDocument";

const COSMOS_MODULE = "bicep/modules/cosmos.bicep";

describe("Cosmos containers in Bicep", () => {
  it("the committed container list equals names.ts (regenerate: npm run bicep:containers)", () => {
    const committed: unknown = JSON.parse(readRepoFile(COSMOS_CONTAINERS_JSON_PATH));
    expect(committed).toEqual(cosmosContainersDocument());
  });

  it("declares every container of names.ts with its partition key and TTL", () => {
    const { databaseName, containers } = cosmosContainersDocument();
    expect(databaseName).toBe(COSMOS_DATABASE_DEFAULT);
    for (const expected of Object.values(COSMOS_CONTAINERS)) {
      const declared = containers.find((c) => c.id === expected.id);
      expect(declared).toEqual({
        id: expected.id,
        partitionKeyPath: expected.partitionKeyPath,
        ...("defaultTtl" in expected ? { defaultTtl: expected.defaultTtl } : {}),
      });
    }
  });

  it("the Cosmos module loops over that list and uses each field", () => {
    expect(loadedFiles(COSMOS_MODULE)).toContain(COSMOS_CONTAINERS_JSON_PATH);
    const module = stripBicepComments(readRepoFile(COSMOS_MODULE));
    expect(module).toMatch(/for c in definition\.containers:/);
    expect(module).toMatch(/name: c\.id/);
    expect(module).toMatch(/paths: \[c\.partitionKeyPath\]/);
    expect(module).toMatch(/contains\(c, 'defaultTtl'\) \? \{ defaultTtl: c\.defaultTtl \}/);
    expect(module).toMatch(/name: definition\.databaseName/);
  });

  it("the app's COSMOS_DATABASE_NAME is the database the module creates", () => {
    const main = stripBicepComments(readRepoFile("bicep/main.bicep"));
    expect(main).toMatch(/cosmosDatabaseName: cosmos\.outputs\.databaseName/);
    const app = stripBicepComments(readRepoFile("bicep/modules/functionapp.bicep"));
    expect(app).toMatch(/COSMOS_DATABASE_NAME: cosmosDatabaseName/);
  });

  it("the identity gets the Cosmos DB Built-in Data Contributor role with local auth off", () => {
    const module = stripBicepComments(readRepoFile(COSMOS_MODULE));
    expect(module).toContain("'00000000-0000-0000-0000-000000000002'");
    expect(module).toMatch(/sqlRoleAssignments@/);
    expect(module).toMatch(/disableLocalAuth: true/);
    expect(module).toMatch(/name: 'EnableServerless'/);
  });
});
