import { z } from "zod";
import { CONNECTIONS, COSMOS_DATABASE_DEFAULT } from "./names";

const SB = CONNECTIONS.serviceBus;
const COSMOS = CONNECTIONS.cosmos;
const STORAGE = CONNECTIONS.storage;
const SIGNALR = CONNECTIONS.signalR;

const httpsUrl = (expects: string) => z.url({ protocol: /^https$/, error: `expects ${expects}` });

/**
 * An https URL, or http on a loopback host (the local identity stand-in): an OpenID
 * configuration fetched over plain http anywhere else could hand the app an attacker's keys.
 */
const openIdConfigUrl = z
  .url({
    protocol: /^https?$/,
    error: "expects an https URL of an OpenID configuration (.../.well-known/openid-configuration)",
  })
  .refine(
    (value) => {
      // A value that is no URL at all is already reported by z.url.
      if (!URL.canParse(value)) return true;
      const url = new URL(value);
      return (
        url.protocol === "https:" || ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)
      );
    },
    { error: "expects https (plain http only on 127.0.0.1 or localhost)" },
  );

/** A comma-separated list of token audiences; blank entries are dropped, one is needed. */
const audienceList = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((entry) => entry.trim())
      .filter((entry) => entry !== ""),
  )
  .pipe(
    z
      .array(z.string())
      .min(1, "expects the API's client id and/or Application ID URI, comma-separated"),
  );

/** A whole number of `unit` within bounds, written as text. */
const wholeNumber = (min: number, max: number, fallback: number, unit: string) => {
  const expects = `expects a whole number of ${unit} from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\d+$/, expects)
    .default(String(fallback))
    .transform(Number)
    .pipe(z.number().int().min(min, expects).max(max, expects));
};

/** A whole number of seconds within bounds. */
const seconds = (min: number, max: number, fallback: number) =>
  wholeNumber(min, max, fallback, "seconds");

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

/**
 * Each setting on its own: its type, its bounds, its default. A value that fails is reported
 * with what the setting expects, never with the value (several settings hold keys).
 */
export const RawSettingsSchema = z.object({
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
  // Bought outside Bicep (README "Deploy to Azure"), so absent by default: no SMS then.
  SMS_SENDER_NUMBER: z
    .string()
    .regex(
      /^\+[1-9]\d{1,14}$/,
      "expects an E.164 phone number that the Communication Services resource owns, such as +14255550123",
    )
    .optional(),
  SAGA_INVENTORY_TIMEOUT_SECONDS: seconds(1, 86_400, 60),
  SAGA_PAYMENT_TIMEOUT_SECONDS: seconds(1, 86_400, 60),
  SERVICEBUS_TOPOLOGY_FILE: z.string().optional(),
  IDEMPOTENCY_TTL_SECONDS: seconds(60, 30 * 86_400, 86_400),
  // docs/http-api.md "Hold limit": units one customer may hold across unsettled orders.
  MAX_UNITS_HELD_PER_CUSTOMER: wholeNumber(1, 1_000_000, 1_000, "units"),
  // How stale a catalog price may be when an order is priced (0: read every time).
  CATALOG_PRICE_CACHE_SECONDS: seconds(0, 3_600, 30),
  AZURE_CLIENT_ID: z.string().optional(),
  APPLICATIONINSIGHTS_CONNECTION_STRING: z.string().optional(),
  // OpenTelemetry's own names (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/).
  OTEL_SDK_DISABLED: z
    .enum(["true", "false"], { error: 'expects "true" or "false"' })
    .default("false"),
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({
      protocol: /^https?$/,
      error: "expects an http(s) OTLP endpoint such as http://localhost:4318",
    })
    .optional(),
  TRACES_FILE: z.string().optional(),
  // "token": the app checks the bearer token itself (docs/http-api.md "Identity"); "header":
  // it trusts X-Customer-Id / X-Roles, which only a gateway that sets them makes safe.
  AUTH_MODE: z
    .enum(["header", "token"], { error: 'expects "header" or "token"' })
    .default("header"),
  AUTH_OPENID_CONFIG_URL: openIdConfigUrl.optional(),
  AUTH_TOKEN_ISSUER: z
    .string()
    .regex(/^https?:\/\/\S+$/, "expects the issuer URL tokens carry in iss")
    .optional(),
  AUTH_TOKEN_AUDIENCES: audienceList.optional(),
  LOG_FORMAT: z.enum(["text", "json"], { error: 'expects "text" or "json"' }).default("json"),
});
export type RawSettings = z.output<typeof RawSettingsSchema>;
