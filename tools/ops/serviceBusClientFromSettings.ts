import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DefaultAzureCredential } from "@azure/identity";
import { ServiceBusAdministrationClient, ServiceBusClient } from "@azure/service-bus";

/** App-setting values by name, as the Functions host sees them. */
export type SettingValues = Readonly<Record<string, string | undefined>>;

/**
 * Settings for an operator's shell: the process environment over the `Values` of
 * local.settings.json in `cwd` (when there is one), so `npm run dlq` works against the local
 * emulator with no extra setup and against Azure with exported variables.
 */
export function operatorSettings(
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): SettingValues {
  const file = join(cwd, "local.settings.json");
  let local: Record<string, string> = {};
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as { Values?: Record<string, string> };
    local = parsed.Values ?? {};
  }
  return { ...local, ...env };
}

type Connection =
  | { readonly kind: "connectionString"; readonly value: string }
  | {
      readonly kind: "entraId";
      readonly namespace: string;
      readonly credential: DefaultAzureCredential;
    };

/**
 * The connection an app setting names, resolved the way the Functions Service Bus extension
 * resolves it: `<name>` is a connection string (the emulator's, or a SAS one); otherwise
 * `<name>__fullyQualifiedNamespace` with an Entra ID credential, using `<name>__clientId` as
 * the managed identity when set.
 */
function connectionFromSettings(values: SettingValues, settingName: string): Connection {
  const connectionString = values[settingName]?.trim();
  if (connectionString) return { kind: "connectionString", value: connectionString };
  const namespace = values[`${settingName}__fullyQualifiedNamespace`]?.trim();
  if (namespace) {
    const clientId = values[`${settingName}__clientId`]?.trim();
    const credential = new DefaultAzureCredential(
      clientId ? { managedIdentityClientId: clientId } : {},
    );
    return { kind: "entraId", namespace, credential };
  }
  throw new Error(
    `no Service Bus connection: set ${settingName} (a connection string) or ` +
      `${settingName}__fullyQualifiedNamespace (e.g. mynamespace.servicebus.windows.net)`,
  );
}

/** A messaging client for the connection an app setting names. */
export function serviceBusClientFromSettings(
  values: SettingValues,
  settingName: string,
): ServiceBusClient {
  const c = connectionFromSettings(values, settingName);
  return c.kind === "connectionString"
    ? new ServiceBusClient(c.value)
    : new ServiceBusClient(c.namespace, c.credential);
}

/**
 * A management client for the same connection. In Azure it needs Manage rights (the
 * RootManageSharedAccessKey, or the Azure Service Bus Data Owner role).
 */
export function administrationClientFromSettings(
  values: SettingValues,
  settingName: string,
): ServiceBusAdministrationClient {
  const c = connectionFromSettings(values, settingName);
  return c.kind === "connectionString"
    ? new ServiceBusAdministrationClient(c.value)
    : new ServiceBusAdministrationClient(c.namespace, c.credential);
}
