import { CONNECTIONS } from "../../shared/config/names";
import { SETTING_NAMES } from "../../shared/config/settingNames";
import { loadSettings } from "../../shared/config/settings";
import {
  bicepObjectVariable,
  bicepStringLiteral,
  readRepoFile,
  stripBicepComments,
} from "./bicepText";

const FUNCTION_APP_MODULE = "bicep/modules/functionapp.bicep";
const moduleText = readRepoFile(FUNCTION_APP_MODULE);
const bicepSettings = bicepObjectVariable(moduleText, "appSettings");
/** The Durable backend's settings, added to appSettings for one backend or the other. */
const durableSettings = new Map([
  ...bicepObjectVariable(moduleText, "schedulerSettings"),
  ...bicepObjectVariable(moduleText, "storageBackendSettings"),
]);

/**
 * Settings the Function App needs that the code does not read: the Functions host and its
 * extensions read the `__credential` forms of identity-based connections, and the host's
 * Application Insights logger reads the authentication string (Entra ID ingestion).
 */
const READ_BY_THE_HOST = [
  `${CONNECTIONS.storage}__credential`,
  `${CONNECTIONS.serviceBus}__credential`,
  `${CONNECTIONS.cosmos}__credential`,
  `${CONNECTIONS.signalR}__credential`,
  "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
];

/**
 * Settings of the Durable extension: the scheduler's connection (host.json names it), and the
 * host.json overrides (AzureFunctionsJobHost__path__to__setting) that select Azure Storage.
 */
const READ_BY_THE_DURABLE_EXTENSION = (name: string): boolean =>
  name === "DURABLE_TASK_SCHEDULER_CONNECTION_STRING" ||
  name.startsWith("AzureFunctionsJobHost__extensions__durableTask__");

/**
 * Flex Consumption rejects these as app settings (the deployment fails); the language and
 * version come from functionAppConfig.runtime instead.
 */
const REJECTED_BY_FLEX = [
  "FUNCTIONS_WORKER_RUNTIME",
  "FUNCTIONS_EXTENSION_VERSION",
  "WEBSITE_NODE_DEFAULT_VERSION",
  "WEBSITE_RUN_FROM_PACKAGE",
  "WEBSITE_CONTENTSHARE",
  "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
];

/** Azure-only settings and what stands in for them locally ("" = nothing). */
const AZURE_ONLY: Record<string, string> = {
  KEY_VAULT_URL: "PAYMENT_GATEWAY_API_KEY",
  ACS_ENDPOINT: "EMAIL_OUTBOX_DIR",
  AZURE_CLIENT_ID: "",
  APPLICATIONINSIGHTS_CONNECTION_STRING: "",
};

const CLIENT_ID = "11111111-2222-3333-4444-555555555555";

/** What Azure puts where the Bicep value is an expression (a resource property or parameter). */
const AZURE_EXAMPLES: Record<string, string> = {
  AzureWebJobsStorage__accountName: "stordersdevabc123",
  AzureWebJobsStorage__clientId: CLIENT_ID,
  ServiceBusConnection__fullyQualifiedNamespace: "sb-orders-dev-abc123.servicebus.windows.net",
  ServiceBusConnection__clientId: CLIENT_ID,
  CosmosDbConnection__accountEndpoint: "https://cosmos-orders-dev-abc123.documents.azure.com:443/",
  CosmosDbConnection__clientId: CLIENT_ID,
  AzureSignalRConnectionString__serviceUri: "https://sigr-orders-dev-abc123.service.signalr.net",
  AzureSignalRConnectionString__clientId: CLIENT_ID,
  COSMOS_DATABASE_NAME: "orders",
  KEY_VAULT_URL: "https://kv-orders-dev-abc123.vault.azure.net/",
  PAYMENT_GATEWAY: "simulated",
  PAYMENT_GATEWAY_API_KEY_SECRET_NAME: "payment-gateway-api-key",
  ACS_ENDPOINT: "https://acs-orders-dev-abc123.unitedstates.communication.azure.com",
  EMAIL_SENDER_ADDRESS: "DoNotReply@00000000-0000-0000-0000-000000000000.azurecomm.net",
  SAGA_INVENTORY_TIMEOUT_SECONDS: "60",
  SAGA_PAYMENT_TIMEOUT_SECONDS: "60",
  IDEMPOTENCY_TTL_SECONDS: "86400",
  AZURE_CLIENT_ID: CLIENT_ID,
  APPLICATIONINSIGHTS_CONNECTION_STRING:
    "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/",
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `ClientId=${CLIENT_ID};Authorization=AAD`,
};

/** The app settings as the Function App would see them in Azure. */
function azureEnvironment(): Record<string, string> {
  // No FUNCTIONS_WORKER_RUNTIME: Flex Consumption takes the runtime from functionAppConfig.
  const env: Record<string, string> = {};
  for (const [name, valueText] of bicepSettings) {
    const value = bicepStringLiteral(valueText) ?? AZURE_EXAMPLES[name];
    if (value === undefined) throw new Error(`add an example Azure value for ${name} to this test`);
    env[name] = value;
  }
  return env;
}

describe("Function App settings in Bicep", () => {
  it("sets only settings the code or the Functions host reads", () => {
    const known = new Set<string>([...SETTING_NAMES, ...READ_BY_THE_HOST]);
    expect([...bicepSettings.keys()].filter((name) => !known.has(name))).toEqual([]);
  });

  it("adds only Durable extension settings for the Durable backend, none the code reads", () => {
    expect(durableSettings.size).toBeGreaterThan(0);
    for (const name of durableSettings.keys()) {
      expect({ name, durable: READ_BY_THE_DURABLE_EXTENSION(name) }).toEqual({
        name,
        durable: true,
      });
      expect((SETTING_NAMES as readonly string[]).includes(name)).toBe(false);
      expect(bicepSettings.has(name)).toBe(false);
    }
  });

  it("sets nothing Flex Consumption rejects, and names Node 22 in functionAppConfig", () => {
    expect(
      [...bicepSettings.keys(), ...durableSettings.keys()].filter((name) =>
        REJECTED_BY_FLEX.includes(name),
      ),
    ).toEqual([]);
    const text = stripBicepComments(moduleText);
    expect(text).toMatch(/runtime: \{\s*name: 'node'\s*version: '22'\s*\}/);
    expect(text).toMatch(/tier: 'FlexConsumption'/);
  });

  it("satisfies the settings schema, in the identity-based forms", () => {
    const settings = loadSettings(azureEnvironment());
    expect(settings.serviceBus).toEqual({
      kind: "identity",
      fullyQualifiedNamespace: AZURE_EXAMPLES.ServiceBusConnection__fullyQualifiedNamespace,
      clientId: CLIENT_ID,
    });
    expect(settings.cosmos.connection.kind).toBe("identity");
    expect(settings.storage).toEqual({
      kind: "identity",
      accountName: AZURE_EXAMPLES.AzureWebJobsStorage__accountName,
      clientId: CLIENT_ID,
    });
    expect(settings.signalR).toEqual({
      kind: "identity",
      endpoint: AZURE_EXAMPLES.AzureSignalRConnectionString__serviceUri,
      clientId: CLIENT_ID,
    });
    expect(settings.paymentGateway.apiKey.source).toBe("keyVault");
    expect(settings.email.transport.kind).toBe("acs");
    expect(settings.logFormat).toBe("json");
  });

  it("needs every setting it sets that the schema requires (removing one fails the schema)", () => {
    const env = azureEnvironment();
    const required = [...bicepSettings.keys()].filter((name) => {
      const without = { ...env };
      delete without[name];
      try {
        loadSettings(without);
        return false;
      } catch {
        return true;
      }
    });
    // The connections and the sender cannot be defaulted; the rest have safe defaults.
    expect(required).toEqual(
      expect.arrayContaining([
        "AzureWebJobsStorage__accountName",
        "ServiceBusConnection__fullyQualifiedNamespace",
        "CosmosDbConnection__accountEndpoint",
        "AzureSignalRConnectionString__serviceUri",
        "EMAIL_SENDER_ADDRESS",
      ]),
    );
  });

  it("holds no secret: no keys, connection strings with keys, or listKeys in app settings", () => {
    for (const [name, value] of [...bicepSettings, ...durableSettings]) {
      expect({ name, value }).not.toEqual({
        name,
        value: expect.stringMatching(/AccountKey|SharedAccessKey|listKeys|listSecrets/i),
      });
    }
    expect(bicepSettings.has(CONNECTIONS.serviceBus)).toBe(false);
    expect(bicepSettings.has(CONNECTIONS.cosmos)).toBe(false);
    expect(bicepSettings.has(CONNECTIONS.storage)).toBe(false);
    expect(bicepSettings.has(CONNECTIONS.signalR)).toBe(false);
    expect(bicepSettings.has("PAYMENT_GATEWAY_API_KEY")).toBe(false);
  });
});

describe("local.settings.sample.json", () => {
  const sample = JSON.parse(readRepoFile("local.settings.sample.json")) as {
    Values: Record<string, string>;
  };

  it("satisfies the settings schema in the local forms", () => {
    const settings = loadSettings(sample.Values);
    expect(settings.serviceBus.kind).toBe("connectionString");
    expect(settings.cosmos.connection.kind).toBe("connectionString");
    expect(settings.storage.kind).toBe("connectionString");
  });

  it("names only settings the schema knows", () => {
    const known = new Set<string>(SETTING_NAMES);
    expect(Object.keys(sample.Values).filter((name) => !known.has(name))).toEqual([]);
  });

  it("has the local counterpart of every code setting Bicep sets", () => {
    const missing: string[] = [];
    for (const name of bicepSettings.keys()) {
      if (!(SETTING_NAMES as readonly string[]).includes(name)) continue;
      // Identity forms (<connection>__x) are covered by the connection string of <connection>.
      const local = name.includes("__") ? name.split("__")[0]! : (AZURE_ONLY[name] ?? name);
      if (local !== "" && !(local in sample.Values)) missing.push(`${name} (locally ${local})`);
    }
    expect(missing).toEqual([]);
  });
});
