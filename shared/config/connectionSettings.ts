import { definedOnly } from "./definedOnly";
import { CONNECTIONS } from "./names";
import type { RawSettings } from "./settingsSchema";

const SB = CONNECTIONS.serviceBus;
const COSMOS = CONNECTIONS.cosmos;
const STORAGE = CONNECTIONS.storage;
const SIGNALR = CONNECTIONS.signalR;

/**
 * The connections (Service Bus, Cosmos DB, storage, SignalR Service), each in the form its settings
 * give: a connection string (local), or identity-based with an optional client id of a
 * user-assigned identity (`<name>__clientId`, else AZURE_CLIENT_ID).
 */
export function connectionSettings(raw: RawSettings) {
  // Looked up by computed name so that each connection's forms are read the same way.
  const get = (name: string): string | undefined => {
    const value = (raw as unknown as Record<string, unknown>)[name];
    return typeof value === "string" ? value : undefined;
  };
  const clientIdOf = (connection: string) => get(`${connection}__clientId`) ?? raw.AZURE_CLIENT_ID;

  const sbConnectionString = get(SB);
  const serviceBus =
    sbConnectionString !== undefined
      ? { kind: "connectionString" as const, connectionString: sbConnectionString }
      : withClientId(
          {
            kind: "identity" as const,
            fullyQualifiedNamespace: get(`${SB}__fullyQualifiedNamespace`) as string,
          },
          clientIdOf(SB),
        );

  const cosmosConnectionString = get(COSMOS);
  const cosmos =
    cosmosConnectionString !== undefined
      ? {
          kind: "connectionString" as const,
          connectionString: cosmosConnectionString,
          accountEndpoint: connectionStringPart(cosmosConnectionString, "AccountEndpoint"),
          accountKey: connectionStringPart(cosmosConnectionString, "AccountKey"),
        }
      : withClientId(
          {
            kind: "identity" as const,
            accountEndpoint: get(`${COSMOS}__accountEndpoint`) as string,
          },
          clientIdOf(COSMOS),
        );

  const storageConnectionString = get(STORAGE);
  const storage =
    storageConnectionString !== undefined
      ? { kind: "connectionString" as const, connectionString: storageConnectionString }
      : withClientId(
          {
            kind: "identity" as const,
            ...definedOnly({
              accountName: get(`${STORAGE}__accountName`),
              blobServiceUri: get(`${STORAGE}__blobServiceUri`),
              queueServiceUri: get(`${STORAGE}__queueServiceUri`),
              tableServiceUri: get(`${STORAGE}__tableServiceUri`),
            }),
          },
          clientIdOf(STORAGE),
        );

  const signalRConnectionString = get(SIGNALR);
  const signalR =
    signalRConnectionString !== undefined
      ? {
          kind: "connectionString" as const,
          endpoint: signalREndpoint(signalRConnectionString),
          accessKey: connectionStringPart(signalRConnectionString, "AccessKey"),
        }
      : withClientId(
          {
            kind: "identity" as const,
            endpoint: new URL(get(`${SIGNALR}__serviceUri`) as string).origin,
          },
          clientIdOf(SIGNALR),
        );

  return { serviceBus, cosmos, storage, signalR };
}

/**
 * The service origin of a SignalR connection string; a separate `Port=` (Microsoft's local
 * emulator writes `Endpoint=http://localhost;Port=8888;`) is folded in.
 */
function signalREndpoint(connectionString: string): string {
  const url = new URL(connectionStringPart(connectionString, "Endpoint"));
  const port = connectionStringPart(connectionString, "Port");
  if (/^\d{1,5}$/.test(port)) url.port = port;
  return url.origin;
}

function connectionStringPart(connectionString: string, key: string): string {
  const pattern = new RegExp(`(?:^|;)\\s*${key}=([^;]*)`, "i");
  return pattern.exec(connectionString)?.[1] ?? "";
}

export function withClientId<T extends object>(
  value: T,
  clientId: string | undefined,
): T & { clientId?: string } {
  return clientId === undefined ? value : { ...value, clientId };
}
