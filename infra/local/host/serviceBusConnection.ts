/**
 * Service Bus connection resolution as the Functions host does it
 * (learn.microsoft.com: functions-bindings-service-bus-trigger#connections):
 * `connection` names an app setting, looked up as is and then with the `AzureWebJobs` prefix;
 * an empty `connection` means `AzureWebJobsServiceBus`. The setting is either a connection
 * string or a section `<name>__fullyQualifiedNamespace` (identity, DefaultAzureCredential, or
 * a managed identity when `<name>__credential` is `managedidentity`, with `<name>__clientId`).
 */
import {
  DefaultAzureCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from "@azure/identity";
import { ServiceBusClient } from "@azure/service-bus";

export type ServiceBusConnection =
  | {
      readonly kind: "connectionString";
      readonly settingName: string;
      readonly connectionString: string;
    }
  | {
      readonly kind: "identity";
      readonly settingName: string;
      readonly fullyQualifiedNamespace: string;
      readonly credential: string | undefined;
      readonly clientId: string | undefined;
    };

/** A binding names a connection whose setting is not there; start-up stops with this. */
export class MissingConnectionSettingError extends Error {
  readonly code = "MissingConnectionSetting";
  constructor(
    readonly connectionName: string,
    readonly lookedUp: readonly string[],
    where: string,
  ) {
    super(
      `${where} uses the Service Bus connection "${connectionName}", but no app setting provides it (looked for ${lookedUp.join(", ")}). Add "${lookedUp[0]}" (a connection string) or "${connectionName}__fullyQualifiedNamespace" to local.settings.json Values or the environment.`,
    );
    this.name = "MissingConnectionSettingError";
  }
}

/** Reads a setting as the host's configuration does: `a__b` and `a:b` name the same key. */
function setting(
  settings: Readonly<Record<string, string | undefined>>,
  name: string,
): string | undefined {
  const value = settings[name] ?? settings[name.replace(/__/g, ":")];
  return value === undefined || value === "" ? undefined : value;
}

export function resolveServiceBusConnection(
  connection: unknown,
  settings: Readonly<Record<string, string | undefined>>,
  where: string,
): ServiceBusConnection {
  const name =
    typeof connection === "string" && connection.trim()
      ? connection.trim()
      : "AzureWebJobsServiceBus";
  const candidates = name.startsWith("AzureWebJobs") ? [name] : [name, `AzureWebJobs${name}`];
  for (const candidate of candidates) {
    const connectionString = setting(settings, candidate);
    if (connectionString)
      return { kind: "connectionString", settingName: candidate, connectionString };
    const fqns = setting(settings, `${candidate}__fullyQualifiedNamespace`);
    if (fqns) {
      return {
        kind: "identity",
        settingName: `${candidate}__fullyQualifiedNamespace`,
        fullyQualifiedNamespace: fqns,
        credential: setting(settings, `${candidate}__credential`),
        clientId: setting(settings, `${candidate}__clientId`),
      };
    }
  }
  throw new MissingConnectionSettingError(
    name,
    candidates.flatMap((c) => [c, `${c}__fullyQualifiedNamespace`]),
    where,
  );
}

export function credentialFor(
  connection: Extract<ServiceBusConnection, { kind: "identity" }>,
): TokenCredential {
  if (connection.credential?.toLowerCase() === "managedidentity") {
    return connection.clientId
      ? new ManagedIdentityCredential({ clientId: connection.clientId })
      : new ManagedIdentityCredential();
  }
  return new DefaultAzureCredential(
    connection.clientId ? { managedIdentityClientId: connection.clientId } : {},
  );
}

/** One client per resolved connection, shared by triggers and outputs. */
export class ServiceBusClients {
  readonly #clients = new Map<string, ServiceBusClient>();

  get(connection: ServiceBusConnection): ServiceBusClient {
    const key =
      connection.kind === "connectionString"
        ? connection.connectionString
        : `${connection.fullyQualifiedNamespace}|${connection.clientId ?? ""}`;
    let client = this.#clients.get(key);
    if (!client) {
      client =
        connection.kind === "connectionString"
          ? new ServiceBusClient(connection.connectionString)
          : new ServiceBusClient(connection.fullyQualifiedNamespace, credentialFor(connection));
      this.#clients.set(key, client);
    }
    return client;
  }

  async closeAll(): Promise<void> {
    const clients = [...this.#clients.values()];
    this.#clients.clear();
    await Promise.allSettled(clients.map((c) => c.close()));
  }
}
