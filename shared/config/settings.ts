import { connectionSettings, withClientId } from "./connectionSettings";
import { definedOnly } from "./definedOnly";
import { missingAlternatives } from "./missingAlternatives";
import { SETTING_NAMES } from "./settingNames";
import { SettingsError, type SettingProblem } from "./settingsError";
import { RawSettingsSchema, type RawSettings } from "./settingsSchema";

/**
 * Every app setting the code reads, validated once at start-up (validate the
 * settings once, then pass them in). Two shapes are valid for each connection, as the
 * Functions host itself resolves them:
 * - local: a connection string in the setting itself (Azurite, the emulators);
 * - Azure: identity-based, `<name>__fullyQualifiedNamespace` / `__accountName` /
 *   `__accountEndpoint`, reached with DefaultAzureCredential and an optional
 *   `<name>__clientId` (else AZURE_CLIENT_ID) for a user-assigned identity.
 * Blank values count as unset, because an empty app setting is how the portal and Bicep
 * say "not set". Error messages never echo a value: several settings hold keys.
 */

/** The connections (connectionSettings.ts), then the app's own groups. */
function normalise(raw: RawSettings) {
  const apiKey =
    raw.KEY_VAULT_URL !== undefined
      ? {
          source: "keyVault" as const,
          vaultUrl: raw.KEY_VAULT_URL,
          secretName: raw.PAYMENT_GATEWAY_API_KEY_SECRET_NAME,
        }
      : { source: "setting" as const, value: raw.PAYMENT_GATEWAY_API_KEY as string };

  // ACS wins when both are set: a deployed app must not write emails to its disk.
  const emailTransport =
    raw.ACS_ENDPOINT !== undefined
      ? withClientId({ kind: "acs" as const, endpoint: raw.ACS_ENDPOINT }, raw.AZURE_CLIENT_ID)
      : { kind: "outbox" as const, dir: raw.EMAIL_OUTBOX_DIR as string };

  // missingAlternatives() has made sure token mode has all three.
  const auth =
    raw.AUTH_MODE === "token"
      ? {
          mode: "token" as const,
          openIdConfigUrl: raw.AUTH_OPENID_CONFIG_URL as string,
          issuer: raw.AUTH_TOKEN_ISSUER as string,
          audiences: raw.AUTH_TOKEN_AUDIENCES as string[],
        }
      : { mode: "header" as const };

  const { storage, serviceBus, cosmos, signalR } = connectionSettings(raw);
  return {
    functionsWorkerRuntime: raw.FUNCTIONS_WORKER_RUNTIME,
    storage,
    serviceBus,
    cosmos: {
      connection: cosmos,
      databaseName: raw.COSMOS_DATABASE_NAME,
      ...definedOnly({ caCertFile: raw.COSMOS_CA_CERT_FILE }),
    },
    signalR,
    ...definedOnly({ keyVaultUrl: raw.KEY_VAULT_URL }),
    paymentGateway: { kind: raw.PAYMENT_GATEWAY, apiKey },
    email: { senderAddress: raw.EMAIL_SENDER_ADDRESS, transport: emailTransport },
    // SMS go the email's way (the same ACS resource, or files beside the .eml files), from a
    // number the resource owns; without one, orders' phone numbers are kept but not texted.
    ...(raw.SMS_SENDER_NUMBER === undefined
      ? {}
      : { sms: { senderNumber: raw.SMS_SENDER_NUMBER } }),
    saga: {
      inventoryTimeoutInMs: raw.SAGA_INVENTORY_TIMEOUT_SECONDS * 1000,
      paymentTimeoutInMs: raw.SAGA_PAYMENT_TIMEOUT_SECONDS * 1000,
      ...definedOnly({ topologyFile: raw.SERVICEBUS_TOPOLOGY_FILE }),
    },
    /** Seconds, because Cosmos DB `ttl` is in seconds. */
    idempotencyTtlInSeconds: raw.IDEMPOTENCY_TTL_SECONDS,
    maxUnitsHeldPerCustomer: raw.MAX_UNITS_HELD_PER_CUSTOMER,
    catalogPriceCacheInMs: raw.CATALOG_PRICE_CACHE_SECONDS * 1000,
    ...definedOnly({
      azureClientId: raw.AZURE_CLIENT_ID,
      applicationInsightsConnectionString: raw.APPLICATIONINSIGHTS_CONNECTION_STRING,
    }),
    tracing: {
      enabled: raw.OTEL_SDK_DISABLED !== "true",
      ...definedOnly({
        azureMonitorConnectionString: raw.APPLICATIONINSIGHTS_CONNECTION_STRING,
        otlpEndpoint: raw.OTEL_EXPORTER_OTLP_ENDPOINT,
        file: raw.TRACES_FILE,
      }),
    },
    auth,
    logFormat: raw.LOG_FORMAT,
  };
}

/** The validated, normalised settings that composition modules build clients from. */
export type Settings = ReturnType<typeof normalise>;
export type ServiceBusSettings = Settings["serviceBus"];
export type CosmosConnectionSettings = Settings["cosmos"]["connection"];
export type StorageSettings = Settings["storage"];
export type EmailTransportSettings = Settings["email"]["transport"];
export type SignalRSettings = Settings["signalR"];
export type TracingSettings = Settings["tracing"];
export type AuthSettings = Settings["auth"];

/**
 * Validates `env` (normally `process.env`) and returns the normalised settings, or throws
 * a SettingsError listing each bad setting.
 */
export function loadSettings(env: Readonly<Record<string, string | undefined>>): Settings {
  const present: Record<string, string> = {};
  for (const name of SETTING_NAMES) {
    const value = env[name]?.trim();
    if (value !== undefined && value !== "") present[name] = value;
  }
  const result = RawSettingsSchema.safeParse(present);
  const problems = [
    ...(result.success
      ? []
      : result.error.issues.map((issue) => ({
          setting: issue.path.map(String).join(".") || "(settings)",
          expected: issue.message,
        }))),
    ...missingAlternatives(present),
  ];
  if (!result.success || problems.length > 0) {
    const order = (problem: SettingProblem) =>
      (SETTING_NAMES as readonly string[]).indexOf(problem.setting);
    throw new SettingsError([...problems].sort((a, b) => order(a) - order(b)));
  }
  return normalise(result.data);
}
