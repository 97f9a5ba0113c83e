import { CONNECTIONS } from "./names";
import type { SettingProblem } from "./settingsError";

const SB = CONNECTIONS.serviceBus;
const COSMOS = CONNECTIONS.cosmos;
const STORAGE = CONNECTIONS.storage;
const SIGNALR = CONNECTIONS.signalR;

/**
 * The "one of two forms" rules. They are checked apart from the schema, on the raw values,
 * so that they are reported together with every other bad setting rather than only once
 * the rest is valid. Each problem is reported on the local-form name.
 */
export function missingAlternatives(present: Readonly<Record<string, string>>): SettingProblem[] {
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
