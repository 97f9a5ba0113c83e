import { readFileSync } from "node:fs";
import { Agent } from "node:https";
import { CosmosClient, type CosmosClientOptions } from "@azure/cosmos";
import { DefaultAzureCredential } from "@azure/identity";
import type { Settings } from "../../config/settings";
import { cosmosTracingPlugin } from "./cosmosTracing";

/**
 * `plugins` is accepted by CosmosClient but left out of its published options type; it is
 * how each operation gets its span (cosmosTracing.ts).
 */
function traced(options: CosmosClientOptions): CosmosClientOptions {
  return { ...options, plugins: [cosmosTracingPlugin] } as CosmosClientOptions;
}

/**
 * Builds the one CosmosClient of a process from validated settings.
 * - Local: the connection string's endpoint and key; when `COSMOS_CA_CERT_FILE` is set, the
 *   local server's self-signed certificate is trusted through this client's own
 *   `https.Agent` only, so TLS checks stay on for everything else in the process.
 * - Azure: the account endpoint with DefaultAzureCredential (the user-assigned identity
 *   named by its client id); no key exists in settings.
 */
export function createCosmosClient(settings: Settings["cosmos"]): CosmosClient {
  const connection = settings.connection;
  if (connection.kind === "connectionString") {
    const agent =
      settings.caCertFile === undefined
        ? undefined
        : new Agent({ ca: readFileSync(settings.caCertFile), keepAlive: true });
    return new CosmosClient(
      traced({
        endpoint: connection.accountEndpoint,
        key: connection.accountKey,
        ...(agent === undefined ? {} : { agent }),
      }),
    );
  }
  const credential = new DefaultAzureCredential(
    connection.clientId === undefined ? {} : { managedIdentityClientId: connection.clientId },
  );
  return new CosmosClient(
    traced({ endpoint: connection.accountEndpoint, aadCredentials: credential }),
  );
}
