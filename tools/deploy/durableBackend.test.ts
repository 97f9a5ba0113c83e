import {
  bicepModules,
  bicepObjectVariable,
  bicepParamDecorators,
  bicepParamDefault,
  bicepResourceBody,
  bicepStringLiteral,
  bicepVarLine,
  readRepoFile,
  stripBicepComments,
} from "./bicepText";

interface HostJson {
  extensionBundle: { id: string; version: string };
  extensions: {
    durableTask: {
      hubName: string;
      storageProvider?: Record<string, string>;
      maxConcurrentActivityFunctions: number;
      maxConcurrentOrchestratorFunctions: number;
    };
  };
}

const host = JSON.parse(readRepoFile("host.json")) as HostJson;
const durable = host.extensions.durableTask;
const MAIN = readRepoFile("bicep/main.bicep");
const APP_MODULE = readRepoFile("bicep/modules/functionapp.bicep");
const DTS_MODULE = readRepoFile("bicep/modules/durabletask.bicep");

/** "[4.32.0, 5.0.0)" -> { low: [4, 32, 0], high: [5, 0, 0] }. */
function bundleRange(range: string): { low: number[]; high: number[] } {
  const match = /^\[(\d+)\.(\d+)\.(\d+), (\d+)\.(\d+)\.(\d+)\)$/.exec(range);
  if (!match) throw new Error(`unexpected extension bundle range ${range}`);
  const n = match.slice(1).map(Number);
  return { low: n.slice(0, 3), high: n.slice(3) };
}

function atLeast(version: number[], minimum: number[]): boolean {
  for (let i = 0; i < minimum.length; i++) {
    if (version[i]! !== minimum[i]!) return version[i]! > minimum[i]!;
  }
  return true;
}

/** "00:00:10" -> 10. */
function timeSpanSeconds(value: string): number {
  const [h, m, s] = value.split(":").map(Number);
  return h! * 3600 + m! * 60 + s!;
}

describe("the Durable backend", () => {
  // JavaScript apps get the Durable Task Scheduler provider from extension bundle 4.32.0 on
  // (learn.microsoft.com/azure/durable-task/scheduler/quickstart-durable-task-scheduler).
  it("host.json selects the Durable Task Scheduler with a bundle range that contains it", () => {
    expect(durable.storageProvider).toEqual({
      type: "azureManaged",
      connectionStringName: "DURABLE_TASK_SCHEDULER_CONNECTION_STRING",
    });
    expect(host.extensionBundle.id).toBe("Microsoft.Azure.Functions.ExtensionBundle");
    const range = bundleRange(host.extensionBundle.version);
    expect(atLeast(range.low, [4, 32, 0])).toBe(true);
    expect(range.high).toEqual([5, 0, 0]);
  });

  it("keeps what the local Durable engine reads: a valid hub name and the concurrency caps", () => {
    // Task hub names: alphanumeric, starting with a letter, 3 to 45 characters (Azure
    // Storage provider); the scheduler allows [a-zA-Z0-9-]{3,64} (bicep-types-az).
    expect(durable.hubName).toMatch(/^[A-Za-z][A-Za-z0-9]{2,44}$/);
    expect(durable.maxConcurrentActivityFunctions).toBeGreaterThan(0);
    expect(durable.maxConcurrentOrchestratorFunctions).toBeGreaterThan(0);
  });

  it("defaults to the scheduler, with Azure Storage as the other choice", () => {
    expect(bicepParamDefault(MAIN, "durableBackend")).toBe("'DurableTaskScheduler'");
    expect(bicepParamDecorators(MAIN, "durableBackend").has("allowed")).toBe(true);
    expect(stripBicepComments(MAIN)).toMatch(
      /@allowed\(\[\s*'DurableTaskScheduler'\s*'AzureStorage'\s*\]\)\s*param durableBackend string/,
    );
    const dts = bicepModules(MAIN).find((m) => m.symbol === "durableTask")!;
    expect(dts.path).toBe("modules/durabletask.bicep");
    expect(dts.condition).toBe("useScheduler");
    expect(bicepVarLine(MAIN, "useScheduler")).toBe("durableBackend == 'DurableTaskScheduler'");
  });

  it("names the scheduler's task hub as host.json does", () => {
    expect(bicepVarLine(MAIN, "taskHubName")).toBe(
      "loadJsonContent('../host.json').extensions.durableTask.hubName",
    );
    const dts = bicepModules(MAIN).find((m) => m.symbol === "durableTask")!;
    expect(dts.params.get("taskHubName")).toBe("taskHubName");
    expect(bicepResourceBody(DTS_MODULE, "taskHub")).toMatch(/name: taskHubName\b/);
    expect(bicepResourceBody(DTS_MODULE, "scheduler")).toMatch(
      /'Microsoft\.DurableTask\/schedulers@2025-11-01'/,
    );
  });

  it("connects the app to the scheduler with its managed identity, under the name host.json reads", () => {
    const scheduler = bicepObjectVariable(APP_MODULE, "schedulerSettings");
    const name = durable.storageProvider!.connectionStringName!;
    expect([...scheduler.keys()]).toEqual([name]);
    expect(scheduler.get(name)).toBe(
      "'Endpoint=${durableTaskSchedulerEndpoint};Authentication=ManagedIdentity;ClientID=${identityClientId}'",
    );
    const app = bicepModules(MAIN).find((m) => m.symbol === "functionApp")!;
    expect(app.params.get("durableTaskSchedulerEndpoint")).toBe(
      "useScheduler ? durableTask.outputs.endpoint : ''",
    );
    expect(app.params.get("durableBackend")).toBe("durableBackend");
  });

  // Microsoft's recommendations for Durable Functions on Flex Consumption: always ready 1 for
  // the durable group, queue polling interval 10 seconds or less (learn.microsoft.com/azure/
  // azure-functions/durable/durable-functions-azure-storage-provider#flex-consumption-plan).
  it("overrides host.json for the Azure Storage backend, polling every 10 s at most", () => {
    const overrides = bicepObjectVariable(APP_MODULE, "storageBackendSettings");
    const prefix = "AzureFunctionsJobHost__extensions__durableTask__storageProvider__";
    const values = Object.fromEntries(
      [...overrides].map(([key, value]) => [key.replace(prefix, ""), bicepStringLiteral(value)]),
    );
    expect([...overrides.keys()].every((key) => key.startsWith(prefix))).toBe(true);
    expect(values.type).toBe("AzureStorage");
    // The key host.json sets is replaced, not left pointing at the scheduler's setting.
    expect(Object.keys(durable.storageProvider!).filter((k) => !(k in values))).toEqual([]);
    expect(values.connectionStringName).toBe("AzureWebJobsStorage");
    expect(timeSpanSeconds(values.maxQueuePollingInterval!)).toBeLessThanOrEqual(10);
    expect(bicepVarLine(APP_MODULE, "allSettings")).toBe(
      "union(appSettings, durableBackend == 'DurableTaskScheduler' ? schedulerSettings : storageBackendSettings)",
    );
    expect(stripBicepComments(APP_MODULE)).toMatch(/items\(allSettings\)/);
  });

  it("keeps one always-ready instance for the durable group", () => {
    expect(bicepParamDefault(MAIN, "durableAlwaysReadyInstances")).toBe("1");
    expect(stripBicepComments(APP_MODULE)).toMatch(
      /alwaysReady: \[\s*\{\s*name: 'durable'\s*instanceCount: durableAlwaysReadyInstances\s*\}\s*\]/,
    );
    const app = bicepModules(MAIN).find((m) => m.symbol === "functionApp")!;
    expect(app.params.get("durableAlwaysReadyInstances")).toBe("durableAlwaysReadyInstances");
  });
});
