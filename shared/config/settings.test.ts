import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadSettings } from "./settings";
import { SETTING_NAMES } from "./settingNames";
import { SettingsError } from "./settingsError";

type Env = Record<string, string | undefined>;

const SIGNALR_LOCAL =
  "Endpoint=http://localhost;Port=8888;AccessKey=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH;Version=1.0;";

const COSMOS_EMULATOR_KEY =
  "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

/** The settings of local.settings.sample.json, as the host would put them in the environment. */
function sampleValues(): Env {
  const sample = JSON.parse(
    readFileSync(join(__dirname, "../../local.settings.sample.json"), "utf8"),
  ) as {
    Values: Env;
  };
  return sample.Values;
}

/** A local environment: connection strings, emails to files, a local gateway key. */
function localEnv(overrides: Env = {}): Env {
  return {
    FUNCTIONS_WORKER_RUNTIME: "node",
    AzureWebJobsStorage: "UseDevelopmentStorage=true",
    ServiceBusConnection:
      "Endpoint=sb://localhost:5672;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;",
    CosmosDbConnection: `AccountEndpoint=https://127.0.0.1:8081/;AccountKey=${COSMOS_EMULATOR_KEY};`,
    AzureSignalRConnectionString: SIGNALR_LOCAL,
    PAYMENT_GATEWAY_API_KEY: "local-key",
    EMAIL_SENDER_ADDRESS: "orders@example.test",
    EMAIL_OUTBOX_DIR: ".local/outbox",
    ...overrides,
  };
}

const TENANT_ISSUER = "https://login.microsoftonline.com/00000000-1111-2222-3333-444444444444/v2.0";
const API_CLIENT_ID = "99999999-8888-7777-6666-555555555555";

/** An Azure environment: identity-based connections only, no keys; tokens checked in the app. */
function azureEnv(overrides: Env = {}): Env {
  // No FUNCTIONS_WORKER_RUNTIME: Flex Consumption refuses it as an app setting.
  return {
    AzureWebJobsStorage__accountName: "ordersstorage",
    ServiceBusConnection__fullyQualifiedNamespace: "orders-sb.servicebus.windows.net",
    CosmosDbConnection__accountEndpoint: "https://orders-cosmos.documents.azure.com:443/",
    AzureSignalRConnectionString__serviceUri: "https://orders-signalr.service.signalr.net",
    KEY_VAULT_URL: "https://orders-kv.vault.azure.net/",
    ACS_ENDPOINT: "https://orders-acs.communication.azure.com",
    EMAIL_SENDER_ADDRESS: "DoNotReply@orders.azurecomm.net",
    AZURE_CLIENT_ID: "11111111-2222-3333-4444-555555555555",
    APPLICATIONINSIGHTS_CONNECTION_STRING:
      "InstrumentationKey=00000000-0000-0000-0000-000000000000",
    AUTH_MODE: "token",
    AUTH_OPENID_CONFIG_URL: `${TENANT_ISSUER}/.well-known/openid-configuration`,
    AUTH_TOKEN_ISSUER: TENANT_ISSUER,
    AUTH_TOKEN_AUDIENCES: `${API_CLIENT_ID},api://orders-api`,
    LOG_FORMAT: "json",
    ...overrides,
  };
}

function problemsOf(env: Env): string[] {
  try {
    loadSettings(env);
  } catch (error) {
    if (error instanceof SettingsError) return error.problems.map((problem) => problem.setting);
    throw error;
  }
  return [];
}

describe("loadSettings", () => {
  it("accepts local.settings.sample.json", () => {
    const settings = loadSettings(sampleValues());
    expect(settings.serviceBus.kind).toBe("connectionString");
    expect(settings.cosmos.caCertFile).toBe(".local/cosmos/cert.pem");
    expect(settings.saga).toEqual({ inventoryTimeoutInMs: 45_000, paymentTimeoutInMs: 45_000 });
    expect(settings.logFormat).toBe("text");
  });

  it("only lists settings that settings.ts knows", () => {
    const unknown = Object.keys(sampleValues()).filter(
      (name) => !(SETTING_NAMES as readonly string[]).includes(name),
    );
    expect(unknown).toEqual([]);
  });

  it("are all documented in the README's settings table", () => {
    const readme = readFileSync(join(__dirname, "../../README.md"), "utf8");
    // Per-connection client ids are documented once, as `<connection>__clientId`.
    const undocumented = SETTING_NAMES.map((name) =>
      name.replace(/^\w+__clientId$/, "<connection>__clientId"),
    ).filter((name) => !readme.includes(name));
    expect(undocumented).toEqual([]);
  });

  it("normalises the local form", () => {
    expect(loadSettings(localEnv())).toEqual({
      functionsWorkerRuntime: "node",
      storage: { kind: "connectionString", connectionString: "UseDevelopmentStorage=true" },
      serviceBus: { kind: "connectionString", connectionString: localEnv().ServiceBusConnection },
      cosmos: {
        connection: {
          kind: "connectionString",
          connectionString: localEnv().CosmosDbConnection,
          accountEndpoint: "https://127.0.0.1:8081/",
          accountKey: COSMOS_EMULATOR_KEY,
        },
        databaseName: "orders",
      },
      // The emulator's separate Port= is folded into the endpoint.
      signalR: {
        kind: "connectionString",
        endpoint: "http://localhost:8888",
        accessKey: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH",
      },
      paymentGateway: { kind: "simulated", apiKey: { source: "setting", value: "local-key" } },
      email: {
        senderAddress: "orders@example.test",
        transport: { kind: "outbox", dir: ".local/outbox" },
      },
      saga: { inventoryTimeoutInMs: 60_000, paymentTimeoutInMs: 60_000 },
      idempotencyTtlInSeconds: 86_400,
      maxUnitsHeldPerCustomer: 1000,
      catalogPriceCacheInMs: 30_000,
      tracing: { enabled: true },
      auth: { mode: "header" },
      logFormat: "json",
    });
  });

  it("normalises the identity-based Azure form", () => {
    const clientId = "11111111-2222-3333-4444-555555555555";
    expect(loadSettings(azureEnv())).toEqual({
      functionsWorkerRuntime: "node",
      storage: { kind: "identity", accountName: "ordersstorage", clientId },
      serviceBus: {
        kind: "identity",
        fullyQualifiedNamespace: "orders-sb.servicebus.windows.net",
        clientId,
      },
      cosmos: {
        connection: {
          kind: "identity",
          accountEndpoint: "https://orders-cosmos.documents.azure.com:443/",
          clientId,
        },
        databaseName: "orders",
      },
      signalR: {
        kind: "identity",
        endpoint: "https://orders-signalr.service.signalr.net",
        clientId,
      },
      keyVaultUrl: "https://orders-kv.vault.azure.net/",
      paymentGateway: {
        kind: "simulated",
        apiKey: {
          source: "keyVault",
          vaultUrl: "https://orders-kv.vault.azure.net/",
          secretName: "payment-gateway-api-key",
        },
      },
      email: {
        senderAddress: "DoNotReply@orders.azurecomm.net",
        transport: {
          kind: "acs",
          endpoint: "https://orders-acs.communication.azure.com",
          clientId,
        },
      },
      saga: { inventoryTimeoutInMs: 60_000, paymentTimeoutInMs: 60_000 },
      idempotencyTtlInSeconds: 86_400,
      maxUnitsHeldPerCustomer: 1000,
      catalogPriceCacheInMs: 30_000,
      azureClientId: clientId,
      applicationInsightsConnectionString: azureEnv().APPLICATIONINSIGHTS_CONNECTION_STRING,
      tracing: {
        enabled: true,
        azureMonitorConnectionString: azureEnv().APPLICATIONINSIGHTS_CONNECTION_STRING,
      },
      auth: {
        mode: "token",
        openIdConfigUrl: `${TENANT_ISSUER}/.well-known/openid-configuration`,
        issuer: TENANT_ISSUER,
        audiences: [API_CLIENT_ID, "api://orders-api"],
      },
      logFormat: "json",
    });
  });

  it("reads the tracing settings: off, an OTLP endpoint, a span file", () => {
    expect(loadSettings(localEnv({ OTEL_SDK_DISABLED: "true" })).tracing.enabled).toBe(false);
    expect(
      loadSettings(
        localEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://localhost:4318", TRACES_FILE: "t.jsonl" }),
      ).tracing,
    ).toEqual({ enabled: true, otlpEndpoint: "http://localhost:4318", file: "t.jsonl" });
    expect(() => loadSettings(localEnv({ OTEL_SDK_DISABLED: "yes" }))).toThrow(/OTEL_SDK_DISABLED/);
    expect(() => loadSettings(localEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "localhost" }))).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
  });

  it("prefers a connection's own __clientId over AZURE_CLIENT_ID", () => {
    const settings = loadSettings(azureEnv({ ServiceBusConnection__clientId: "sb-identity" }));
    expect(settings.serviceBus).toMatchObject({ kind: "identity", clientId: "sb-identity" });
    expect(settings.cosmos.connection).toMatchObject({ clientId: azureEnv().AZURE_CLIENT_ID });
  });

  it("accepts storage by service URIs", () => {
    const settings = loadSettings(
      azureEnv({
        AzureWebJobsStorage__accountName: undefined,
        AzureWebJobsStorage__blobServiceUri: "https://x.blob.core.windows.net",
        AzureWebJobsStorage__queueServiceUri: "https://x.queue.core.windows.net",
        AzureWebJobsStorage__tableServiceUri: "https://x.table.core.windows.net",
      }),
    );
    expect(settings.storage).toMatchObject({
      kind: "identity",
      blobServiceUri: "https://x.blob.core.windows.net",
    });
  });

  it("treats blank values as unset and trims the others", () => {
    const settings = loadSettings(localEnv({ LOG_FORMAT: "  ", COSMOS_DATABASE_NAME: " shop " }));
    expect(settings.logFormat).toBe("json");
    expect(settings.cosmos.databaseName).toBe("shop");
    expect(problemsOf(localEnv({ ServiceBusConnection: " " }))).toEqual(["ServiceBusConnection"]);
  });

  it.each([
    ["SAGA_PAYMENT_TIMEOUT_SECONDS", "abc"],
    ["SAGA_PAYMENT_TIMEOUT_SECONDS", "0"],
    ["SAGA_INVENTORY_TIMEOUT_SECONDS", "1.5"],
    ["SAGA_INVENTORY_TIMEOUT_SECONDS", "86401"],
    ["IDEMPOTENCY_TTL_SECONDS", "59"],
    ["IDEMPOTENCY_TTL_SECONDS", "-5"],
    ["MAX_UNITS_HELD_PER_CUSTOMER", "0"],
    ["MAX_UNITS_HELD_PER_CUSTOMER", "1000001"],
    ["MAX_UNITS_HELD_PER_CUSTOMER", "12.5"],
    ["MAX_UNITS_HELD_PER_CUSTOMER", "lots"],
    ["CATALOG_PRICE_CACHE_SECONDS", "-1"],
    ["CATALOG_PRICE_CACHE_SECONDS", "3601"],
    ["CATALOG_PRICE_CACHE_SECONDS", "0.5"],
  ])("rejects %s=%p", (name, value) => {
    expect(problemsOf(localEnv({ [name]: value }))).toEqual([name]);
  });

  it("reads numbers within bounds", () => {
    const settings = loadSettings(
      localEnv({ SAGA_PAYMENT_TIMEOUT_SECONDS: "86400", IDEMPOTENCY_TTL_SECONDS: "60" }),
    );
    expect(settings.saga.paymentTimeoutInMs).toBe(86_400_000);
    expect(settings.idempotencyTtlInSeconds).toBe(60);
    expect(
      loadSettings(localEnv({ MAX_UNITS_HELD_PER_CUSTOMER: "1" })).maxUnitsHeldPerCustomer,
    ).toBe(1);
    expect(loadSettings(localEnv({})).catalogPriceCacheInMs).toBe(30_000);
    expect(loadSettings(localEnv({ CATALOG_PRICE_CACHE_SECONDS: "0" })).catalogPriceCacheInMs).toBe(
      0,
    );
  });

  it("says what MAX_UNITS_HELD_PER_CUSTOMER expects, without the value", () => {
    expect(() => loadSettings(localEnv({ MAX_UNITS_HELD_PER_CUSTOMER: "-7" }))).toThrow(
      /MAX_UNITS_HELD_PER_CUSTOMER.*expects a whole number of units from 1 to 1000000/,
    );
    expect(() => loadSettings(localEnv({ MAX_UNITS_HELD_PER_CUSTOMER: "-7" }))).not.toThrow(/-7/);
  });

  it.each([
    ["FUNCTIONS_WORKER_RUNTIME", "dotnet"],
    ["ServiceBusConnection", "Server=nope"],
    ["ServiceBusConnection__fullyQualifiedNamespace", "sb://with-scheme.servicebus.windows.net"],
    ["CosmosDbConnection", "AccountEndpoint=https://x/;"],
    ["CosmosDbConnection__accountEndpoint", "http://insecure.documents.azure.com/"],
    ["AzureSignalRConnectionString", "Endpoint=https://x.service.signalr.net;Version=1.0;"],
    ["AzureSignalRConnectionString__serviceUri", "http://insecure.service.signalr.net"],
    ["AzureWebJobsStorage", "nonsense"],
    ["AzureWebJobsStorage__accountName", "Upper_Case"],
    ["KEY_VAULT_URL", "not a url"],
    ["ACS_ENDPOINT", "ftp://acs.example"],
    ["EMAIL_SENDER_ADDRESS", "nobody"],
    ["SMS_SENDER_NUMBER", "+44 7700 900000"],
    ["SMS_SENDER_NUMBER", "07700900000"],
    ["PAYMENT_GATEWAY", "stripe"],
    ["LOG_FORMAT", "xml"],
    ["AUTH_MODE", "jwt"],
    ["AUTH_OPENID_CONFIG_URL", "not a url"],
    ["AUTH_OPENID_CONFIG_URL", "http://login.example.com/.well-known/openid-configuration"],
    ["AUTH_TOKEN_ISSUER", "login.microsoftonline.com/tenant"],
    ["AUTH_TOKEN_AUDIENCES", " , "],
  ])("rejects %s=%p", (name, value) => {
    expect(problemsOf(localEnv({ [name]: value }))).toEqual([name]);
  });

  it("texts from SMS_SENDER_NUMBER when set, over the email's transport; not at all without it", () => {
    expect(loadSettings(localEnv()).sms).toBeUndefined();
    expect(loadSettings(localEnv({ SMS_SENDER_NUMBER: " " })).sms).toBeUndefined();
    expect(loadSettings(localEnv({ SMS_SENDER_NUMBER: "+447700900000" })).sms).toEqual({
      senderNumber: "+447700900000",
    });
    const azure = loadSettings(azureEnv({ SMS_SENDER_NUMBER: "+18005550100" }));
    expect(azure.sms).toEqual({ senderNumber: "+18005550100" });
    expect(azure.email.transport.kind).toBe("acs");
  });

  it("needs the issuer, its OpenID configuration and the audiences in token mode, naming each", () => {
    expect(
      problemsOf(
        azureEnv({
          AUTH_OPENID_CONFIG_URL: undefined,
          AUTH_TOKEN_ISSUER: undefined,
          AUTH_TOKEN_AUDIENCES: undefined,
        }),
      ),
    ).toEqual(["AUTH_OPENID_CONFIG_URL", "AUTH_TOKEN_ISSUER", "AUTH_TOKEN_AUDIENCES"]);
    expect(problemsOf(localEnv({ AUTH_MODE: "token" }))).toEqual([
      "AUTH_OPENID_CONFIG_URL",
      "AUTH_TOKEN_ISSUER",
      "AUTH_TOKEN_AUDIENCES",
    ]);
  });

  it("takes header mode when AUTH_MODE is unset, and plain http only for a local issuer", () => {
    expect(loadSettings(azureEnv({ AUTH_MODE: undefined })).auth).toEqual({ mode: "header" });
    const local = loadSettings(
      localEnv({
        AUTH_MODE: "token",
        AUTH_OPENID_CONFIG_URL: "http://127.0.0.1:8890/t/v2.0/.well-known/openid-configuration",
        AUTH_TOKEN_ISSUER: "http://127.0.0.1:8890/t/v2.0",
        AUTH_TOKEN_AUDIENCES: " a , ,b ",
      }),
    );
    expect(local.auth).toMatchObject({ mode: "token", audiences: ["a", "b"] });
  });

  it("takes an absent FUNCTIONS_WORKER_RUNTIME as node, as on Flex Consumption", () => {
    expect(loadSettings(azureEnv()).functionsWorkerRuntime).toBe("node");
  });

  it("names every bad setting at once, with what it expects, and no values", () => {
    const env = {
      SAGA_PAYMENT_TIMEOUT_SECONDS: "soon",
      ServiceBusConnection: "SharedAccessKey=hunter2",
    };
    let message = "";
    try {
      loadSettings(env);
    } catch (error) {
      expect(error).toBeInstanceOf(SettingsError);
      message = (error as Error).message;
    }
    expect(message.split("\n")).toEqual([
      "Invalid app settings (8):",
      "  - AzureWebJobsStorage: is not set, nor is AzureWebJobsStorage__accountName or AzureWebJobsStorage__blobServiceUri: set a Storage connection string (local) or the account name (identity)",
      "  - ServiceBusConnection: expects a Service Bus connection string: Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…",
      "  - CosmosDbConnection: is not set, nor is CosmosDbConnection__accountEndpoint: set a Cosmos DB connection string (local) or the account endpoint (identity)",
      "  - AzureSignalRConnectionString: is not set, nor is AzureSignalRConnectionString__serviceUri: set a SignalR Service connection string (local) or the service URI (identity)",
      "  - PAYMENT_GATEWAY_API_KEY: is required when KEY_VAULT_URL is not set (with KEY_VAULT_URL the key is read from Key Vault)",
      "  - EMAIL_SENDER_ADDRESS: is required: the From address of customer emails",
      "  - EMAIL_OUTBOX_DIR: is not set, nor is ACS_ENDPOINT: set a directory for email files (local) or the ACS endpoint (Azure)",
      "  - SAGA_PAYMENT_TIMEOUT_SECONDS: expects a whole number of seconds from 1 to 86400",
    ]);
    expect(message).not.toContain("hunter2");
  });
});
