import { CosmosClient } from "@azure/cosmos";
import { DefaultAzureCredential } from "@azure/identity";
import { COSMOS_CONTAINERS, COSMOS_DATABASE_DEFAULT } from "../../shared/config/names";
import { seedCatalogIfIncomplete } from "./seedCatalog";

// The pipeline's step after the infrastructure deployment:
//   COSMOS_ENDPOINT=https://<account>.documents.azure.com:443/ node tools/dist/tools/deploy/seedCatalogMain.js
// Signs in with DefaultAzureCredential (the pipeline's az login), which needs the Cosmos DB
// Built-in Data Contributor role: Bicep grants it to deployerPrincipalId.
const MAX_ATTEMPTS = 10;
const RETRY_DELAY_IN_MS = 30_000;

async function main(): Promise<void> {
  const endpoint = process.env.COSMOS_ENDPOINT?.trim();
  if (!endpoint) throw new Error("COSMOS_ENDPOINT is not set");
  const databaseName = process.env.COSMOS_DATABASE_NAME?.trim() || COSMOS_DATABASE_DEFAULT;
  const client = new CosmosClient({ endpoint, aadCredentials: new DefaultAzureCredential() });
  try {
    const products = client.database(databaseName).container(COSMOS_CONTAINERS.products.id);
    for (let attempt = 1; ; attempt++) {
      try {
        const created = await seedCatalogIfIncomplete(products);
        console.log(`catalog: ${created} product(s) created in ${databaseName}/${products.id}`);
        return;
      } catch (error) {
        // A role assignment made by the deployment a minute ago can take minutes to apply.
        const forbidden = (error as { code?: unknown }).code === 403;
        if (!forbidden || attempt >= MAX_ATTEMPTS) throw error;
        console.log(`catalog: not authorized yet (attempt ${attempt}/${MAX_ATTEMPTS}); retrying`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_IN_MS));
      }
    }
  } finally {
    client.dispose();
  }
}

main().catch((e: unknown) => {
  console.error(`catalog seeding failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
