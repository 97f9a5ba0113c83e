import { CONNECTIONS } from "./names";

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
  "SMS_SENDER_NUMBER",
  "SAGA_INVENTORY_TIMEOUT_SECONDS",
  "SAGA_PAYMENT_TIMEOUT_SECONDS",
  "SERVICEBUS_TOPOLOGY_FILE",
  "IDEMPOTENCY_TTL_SECONDS",
  "MAX_UNITS_HELD_PER_CUSTOMER",
  "CATALOG_PRICE_CACHE_SECONDS",
  "AZURE_CLIENT_ID",
  "APPLICATIONINSIGHTS_CONNECTION_STRING",
  "OTEL_SDK_DISABLED",
  "OTEL_EXPORTER_OTLP_ENDPOINT",
  "TRACES_FILE",
  "AUTH_MODE",
  "AUTH_OPENID_CONFIG_URL",
  "AUTH_TOKEN_ISSUER",
  "AUTH_TOKEN_AUDIENCES",
  "LOG_FORMAT",
] as const;
export type SettingName = (typeof SETTING_NAMES)[number];
