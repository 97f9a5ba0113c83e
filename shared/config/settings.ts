import { z } from "zod";
import { CONNECTIONS, COSMOS_DATABASE_DEFAULT } from "./names";

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

const SB = CONNECTIONS.serviceBus;
const COSMOS = CONNECTIONS.cosmos;
const STORAGE = CONNECTIONS.storage;
const SIGNALR = CONNECTIONS.signalR;

/** The names of all settings read here, for documentation and for tests. */
export const SETTING_NAMES = [
  "FUNCTIONS_WORKER_RUNTIME",
  STORAGE,
  `${STORAGE}__accountName`,
  `${STORAGE}__blobServiceUri`,
  `${STORAGE}__queueServiceUri`,
  `${STORAGE}__tableServiceUri`,
  `${STORAGE}__clientId`,
  SB,
  `${SB}__fullyQualifiedNamespace`,
  `${SB}__clientId`,
  COSMOS,
  `${COSMOS}__accountEndpoint`,
  `${COSMOS}__clientId`,
  SIGNALR,
  `${SIGNALR}__serviceUri`,
  `${SIGNALR}__clientId`,
  "COSMOS_DATABASE_NAME",
  "COSMOS_CA_CERT_FILE",
  "KEY_VAULT_URL",
  "PAYMENT_GATEWAY",
  "PAYMENT_GATEWAY_API_KEY_SECRET_NAME",
  "PAYMENT_GATEWAY_API_KEY",
  "ACS_ENDPOINT",
  "EMAIL_SENDER_ADDRESS",
  "EMAIL_OUTBOX_DIR",
  "SAGA_INVENTORY_TIMEOUT_SECONDS",
  "SAGA_PAYMENT_TIMEOUT_SECONDS",
  "IDEMPOTENCY_TTL_SECONDS",
  "AZURE_CLIENT_ID",
  "APPLICATIONINSIGHTS_CONNECTION_STRING",
  "LOG_FORMAT",
] as const;
export type SettingName = (typeof SETTING_NAMES)[number];

const httpsUrl = (expects: string) => z.url({ protocol: /^https$/, error: `expects ${expects}` });

/** A whole number of seconds within bounds, written as text as every app setting is. */
const seconds = (min: number, max: number, fallback: number) => {
  const expects = `expects a whole number of seconds from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\d+$/, expects)
    .default(String(fallback))
    .transform(Number)
    .pipe(z.number().int().min(min, expects).max(max, expects));
};

const serviceBusConnectionString = z
  .string()
  .regex(
    /(^|;)\s*Endpoint=sb:\/\/[^;]+/i,
    "expects a Service Bus connection string: Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…",
  );

const cosmosConnectionString = z
  .string()
  .regex(
    /(^|;)\s*AccountEndpoint=https?:\/\/[^;]+;.*AccountKey=[^;]+/i,
    "expects a Cosmos DB connection string: AccountEndpoint=https://…;AccountKey=…;",
  );

const storageConnectionString = z
  .string()
  .regex(
    /^UseDevelopmentStorage=true$|(^|;)\s*(AccountName|BlobEndpoint)=/i,
    "expects a Storage connection string: UseDevelopmentStorage=true, or one with AccountName=/BlobEndpoint=",
  );

const signalRConnectionString = z
  .string()
  .regex(
    /(^|;)\s*Endpoint=https?:\/\/[^;]+;(.*;)?\s*AccessKey=[^;]+/i,
    "expects a SignalR Service connection string: Endpoint=https://…;AccessKey=…;Version=1.0;",
  );

const RawSettingsSchema = z.object({
  // Flex Consumption sets the runtime in functionAppConfig and refuses it as an app setting,
  // so absence means "node"; any other value is a misconfigured app.
  FUNCTIONS_WORKER_RUNTIME: z.literal("node", { error: 'expects "node"' }).default("node"),
  [STORAGE]: storageConnectionString.optional(),
  [`${STORAGE}__accountName` as const]: z
    .string()
    .regex(/^[a-z0-9]{3,24}$/, "expects a storage account name: 3-24 lower-case letters or digits")
    .optional(),
  [`${STORAGE}__blobServiceUri` as const]: httpsUrl("an https blob service URI").optional(),
  [`${STORAGE}__queueServiceUri` as const]: httpsUrl("an https queue service URI").optional(),
  [`${STORAGE}__tableServiceUri` as const]: httpsUrl("an https table service URI").optional(),
  [`${STORAGE}__clientId` as const]: z.string().optional(),
  [SB]: serviceBusConnectionString.optional(),
  [`${SB}__fullyQualifiedNamespace` as const]: z
    .string()
    .regex(
      /^[A-Za-z0-9.-]+(:\d+)?$/,
      "expects a namespace host name such as my-namespace.servicebus.windows.net (no scheme)",
    )
    .optional(),
  [`${SB}__clientId` as const]: z.string().optional(),
  [COSMOS]: cosmosConnectionString.optional(),
  [`${COSMOS}__accountEndpoint` as const]: httpsUrl(
    "an https account endpoint such as https://my-account.documents.azure.com:443/",
  ).optional(),
  [`${COSMOS}__clientId` as const]: z.string().optional(),
  [SIGNALR]: signalRConnectionString.optional(),
  [`${SIGNALR}__serviceUri` as const]: httpsUrl(
    "an https service URI such as https://my-signalr.service.signalr.net",
  ).optional(),
  [`${SIGNALR}__clientId` as const]: z.string().optional(),
  COSMOS_DATABASE_NAME: z
    .string()
    .regex(/^[^/\\#?]{1,255}$/, "expects a database name without / \\ # ?")
    .default(COSMOS_DATABASE_DEFAULT),
  COSMOS_CA_CERT_FILE: z.string().optional(),
  KEY_VAULT_URL: httpsUrl(
    "an https vault URL such as https://my-vault.vault.azure.net/",
  ).optional(),
  PAYMENT_GATEWAY: z.enum(["simulated"], { error: 'expects "simulated"' }).default("simulated"),
  PAYMENT_GATEWAY_API_KEY_SECRET_NAME: z
    .string()
    .regex(/^[0-9A-Za-z-]{1,127}$/, "expects a Key Vault secret name: letters, digits and '-'")
    .default("payment-gateway-api-key"),
  PAYMENT_GATEWAY_API_KEY: z.string().optional(),
  ACS_ENDPOINT: httpsUrl(
    "an https Communication Services endpoint such as https://my-acs.communication.azure.com",
  ).optional(),
  EMAIL_SENDER_ADDRESS: z.email({
    error: (issue) =>
      issue.input === undefined
        ? "is required: the From address of customer emails"
        : "expects an email address",
  }),
  EMAIL_OUTBOX_DIR: z.string().optional(),
  SAGA_INVENTORY_TIMEOUT_SECONDS: seconds(1, 86_400, 60),
  SAGA_PAYMENT_TIMEOUT_SECONDS: seconds(1, 86_400, 60),
  IDEMPOTENCY_TTL_SECONDS: seconds(60, 30 * 86_400, 86_400),
  AZURE_CLIENT_ID: z.string().optional(),
  APPLICATIONINSIGHTS_CONNECTION_STRING: z.string().optional(),
  LOG_FORMAT: z.enum(["text", "json"], { error: 'expects "text" or "json"' }).default("json"),
});
type RawSettings = z.output<typeof RawSettingsSchema>;

/**
 * The "one of two forms" rules. They are checked apart from the schema, on the raw values,
 * so that they are reported together with every other bad setting rather than only once
 * the rest is valid. Each problem is reported on the local-form name.
 */
function missingAlternatives(present: Readonly<Record<string, string>>): SettingProblem[] {
  const problems: SettingProblem[] = [];
  const oneOf = (names: readonly string[], expected: string) => {
    if (names.some((name) => present[name] !== undefined)) return;
    problems.push({ setting: names[0] as string, expected });
  };
  oneOf(
    [SB, `${SB}__fullyQualifiedNamespace`],
    `is not set, nor is ${SB}__fullyQualifiedNamespace: set a Service Bus connection string (local) or the namespace host name (identity)`,
  );
  oneOf(
    [COSMOS, `${COSMOS}__accountEndpoint`],
    `is not set, nor is ${COSMOS}__accountEndpoint: set a Cosmos DB connection string (local) or the account endpoint (identity)`,
  );
  oneOf(
    [STORAGE, `${STORAGE}__accountName`, `${STORAGE}__blobServiceUri`],
    `is not set, nor is ${STORAGE}__accountName or ${STORAGE}__blobServiceUri: set a Storage connection string (local) or the account name (identity)`,
  );
  oneOf(
    [SIGNALR, `${SIGNALR}__serviceUri`],
    `is not set, nor is ${SIGNALR}__serviceUri: set a SignalR Service connection string (local) or the service URI (identity)`,
  );
  oneOf(
    ["PAYMENT_GATEWAY_API_KEY", "KEY_VAULT_URL"],
    "is required when KEY_VAULT_URL is not set (with KEY_VAULT_URL the key is read from Key Vault)",
  );
  oneOf(
    ["EMAIL_OUTBOX_DIR", "ACS_ENDPOINT"],
    "is not set, nor is ACS_ENDPOINT: set a directory for email files (local) or the ACS endpoint (Azure)",
  );
  return problems;
}

function connectionStringPart(connectionString: string, key: string): string {
  const pattern = new RegExp(`(?:^|;)\\s*${key}=([^;]*)`, "i");
  return pattern.exec(connectionString)?.[1] ?? "";
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

function withClientId<T extends object>(
  value: T,
  clientId: string | undefined,
): T & { clientId?: string } {
  return clientId === undefined ? value : { ...value, clientId };
}

function normalise(raw: RawSettings) {
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
    saga: {
      inventoryTimeoutInMs: raw.SAGA_INVENTORY_TIMEOUT_SECONDS * 1000,
      paymentTimeoutInMs: raw.SAGA_PAYMENT_TIMEOUT_SECONDS * 1000,
    },
    /** Seconds, because Cosmos DB `ttl` is in seconds. */
    idempotencyTtlInSeconds: raw.IDEMPOTENCY_TTL_SECONDS,
    ...definedOnly({
      azureClientId: raw.AZURE_CLIENT_ID,
      applicationInsightsConnectionString: raw.APPLICATIONINSIGHTS_CONNECTION_STRING,
    }),
    logFormat: raw.LOG_FORMAT,
  };
}

function definedOnly<T extends Record<string, string | undefined>>(
  values: T,
): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: string;
  };
}

/** The validated, normalised settings that composition modules build clients from. */
export type Settings = ReturnType<typeof normalise>;
export type ServiceBusSettings = Settings["serviceBus"];
export type CosmosConnectionSettings = Settings["cosmos"]["connection"];
export type StorageSettings = Settings["storage"];
export type EmailTransportSettings = Settings["email"]["transport"];
export type SignalRSettings = Settings["signalR"];

/** One bad setting and what it expects. */
export interface SettingProblem {
  readonly setting: string;
  readonly expected: string;
}

/** Thrown by {@link loadSettings}; the message names every bad setting at once. */
export class SettingsError extends Error {
  constructor(readonly problems: readonly SettingProblem[]) {
    super(
      `Invalid app settings (${problems.length}):\n` +
        problems.map((problem) => `  - ${problem.setting}: ${problem.expected}`).join("\n"),
    );
    this.name = "SettingsError";
  }
}

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
