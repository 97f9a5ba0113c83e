import { TableServiceClient } from "@azure/data-tables";
import { DefaultAzureCredential } from "@azure/identity";
import type { StorageSettings } from "../../config/settings";
import type { HealthProbe } from "../../ports";

/** Health check of AzureWebJobsStorage: one list-tables call against the table endpoint. */
export function createStorageProbe(settings: StorageSettings): HealthProbe {
  let client: TableServiceClient | undefined;
  const clientOf = () => {
    if (client !== undefined) return client;
    if (settings.kind === "connectionString") {
      client = TableServiceClient.fromConnectionString(settings.connectionString, {
        allowInsecureConnection: true,
      });
    } else {
      const endpoint =
        settings.tableServiceUri ?? `https://${settings.accountName ?? ""}.table.core.windows.net`;
      const credential = new DefaultAzureCredential(
        settings.clientId === undefined ? {} : { managedIdentityClientId: settings.clientId },
      );
      client = new TableServiceClient(endpoint, credential);
    }
    return client;
  };
  return {
    name: "storage",
    async check(abortSignal) {
      const pages = clientOf().listTables({ abortSignal }).byPage({ maxPageSize: 1 });
      await pages.next();
    },
  };
}
