/**
 * The stand-ins the app talks to locally: Azurite (AzureWebJobsStorage), the Cosmos server
 * (CosmosDbConnection), the Service Bus emulator (ServiceBusConnection) and the SignalR
 * Service (AzureSignalRConnectionString). Started together,
 * each waited for with a real probe; the settings that point the app at them come back.
 */
import path from "node:path";
import type { EmulatorConfig } from "../servicebus";
import { startAzurite, type RunningAzurite } from "./azurite";
import { startCosmos, type RunningCosmos } from "./cosmos";
import { startServiceBusStandIn, type RunningServiceBus } from "./serviceBusStandIn";
import { startSignalRStandIn, type RunningSignalR } from "./signalRStandIn";

export interface StandInPorts {
  readonly azuriteBlob: number;
  readonly azuriteQueue: number;
  readonly azuriteTable: number;
  readonly cosmos: number;
  readonly serviceBus: number;
  readonly signalR: number;
}

export const DEFAULT_STAND_IN_PORTS: StandInPorts = {
  azuriteBlob: 10000,
  azuriteQueue: 10001,
  azuriteTable: 10002,
  cosmos: 8081,
  serviceBus: 5672,
  signalR: 8888,
};

/** Setting names that change each port. */
export const PORT_SETTINGS: Record<keyof StandInPorts, string> = {
  azuriteBlob: "AZURITE_BLOB_PORT",
  azuriteQueue: "AZURITE_QUEUE_PORT",
  azuriteTable: "AZURITE_TABLE_PORT",
  cosmos: "COSMOS_PORT",
  serviceBus: "SERVICEBUS_PORT",
  signalR: "SIGNALR_PORT",
};

/**
 * The app settings the stand-ins' connection details are returned under. The defaults are
 * this runtime's conventions (AzureWebJobsStorage is the Functions host's own); an app whose
 * bindings name other settings passes its names.
 */
export interface StandInSettingNames {
  readonly storage: string;
  readonly cosmos: string;
  readonly cosmosCaCertFile: string;
  readonly serviceBus: string;
  readonly signalR: string;
}

export const DEFAULT_STAND_IN_SETTING_NAMES: StandInSettingNames = {
  storage: "AzureWebJobsStorage",
  cosmos: "CosmosDbConnection",
  cosmosCaCertFile: "COSMOS_CA_CERT_FILE",
  serviceBus: "ServiceBusConnection",
  signalR: "AzureSignalRConnectionString",
};

export interface StartStandInsOptions {
  /** Directory holding `.local/` (data, certificate). The current directory by default. */
  readonly root?: string;
  readonly azurite?: boolean;
  readonly cosmos?: boolean;
  readonly serviceBus?: boolean;
  readonly signalR?: boolean;
  /** Ports; 0 picks a free one. */
  readonly ports?: Partial<StandInPorts>;
  readonly host?: string;
  /** Keep Azurite data in memory instead of `.local/azurite`. */
  readonly inMemory?: boolean;
  /** Service Bus topology file; infra/servicebus/config.json by default. */
  readonly serviceBusConfigPath?: string;
  /** Service Bus topology object instead of a file. */
  readonly serviceBusConfig?: EmulatorConfig;
  readonly log?: (line: string) => void;
  /** Setting names for {@link RunningStandIns.settings}; DEFAULT_STAND_IN_SETTING_NAMES by default. */
  readonly settingNames?: Partial<StandInSettingNames>;
}

export interface RunningStandIns {
  readonly azurite?: RunningAzurite;
  readonly cosmos?: RunningCosmos;
  readonly serviceBus?: RunningServiceBus;
  readonly signalR?: RunningSignalR;
  /** App settings pointing at the stand-ins that run (connection strings, COSMOS_CA_CERT_FILE). */
  readonly settings: Readonly<Record<string, string>>;
  /** Stops every stand-in that was started. */
  stop(): Promise<void>;
}

/** Starts the chosen stand-ins (all by default); on any failure, stops the others and rejects. */
export async function startStandIns(options: StartStandInsOptions = {}): Promise<RunningStandIns> {
  const root = options.root ?? process.cwd();
  const host = options.host ?? "127.0.0.1";
  const ports = { ...DEFAULT_STAND_IN_PORTS, ...options.ports };
  const started: Array<{ stop(): Promise<void> }> = [];
  const stop = async (): Promise<void> => {
    await Promise.allSettled(started.map((s) => s.stop()));
  };
  const settings: Record<string, string> = {};
  try {
    const results = await Promise.allSettled([
      options.azurite === false
        ? undefined
        : startAzurite({
            location: path.join(root, ".local", "azurite"),
            host,
            blobPort: ports.azuriteBlob,
            queuePort: ports.azuriteQueue,
            tablePort: ports.azuriteTable,
            ...(options.inMemory ? { inMemory: true } : {}),
            ...(options.log ? { log: options.log } : {}),
          }),
      options.cosmos === false
        ? undefined
        : startCosmos({
            certDirectory: path.join(root, ".local", "cosmos"),
            port: ports.cosmos,
            host,
          }),
      options.serviceBus === false
        ? undefined
        : startServiceBusStandIn({
            port: ports.serviceBus,
            host,
            certDirectory: path.join(root, ".local", "servicebus"),
            ...(options.serviceBusConfigPath ? { configPath: options.serviceBusConfigPath } : {}),
            ...(options.serviceBusConfig ? { config: options.serviceBusConfig } : {}),
            ...(options.log ? { log: options.log } : {}),
          }),
      options.signalR === false
        ? undefined
        : startSignalRStandIn({
            port: ports.signalR,
            host,
            ...(options.log ? { log: options.log } : {}),
          }),
    ]);
    for (const result of results) {
      if (result.status === "fulfilled" && result.value) started.push(result.value);
    }
    const failures = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
    if (failures.length > 0) {
      throw new AggregateError(
        failures,
        failures.map((f) => (f instanceof Error ? f.message : String(f))).join("\n"),
      );
    }
    const [azuriteResult, cosmosResult, serviceBusResult, signalRResult] = results;
    const value = <T>(r: PromiseSettledResult<T> | undefined): T | undefined =>
      r?.status === "fulfilled" ? r.value : undefined;
    const azurite = value(azuriteResult);
    const cosmos = value(cosmosResult);
    const serviceBus = value(serviceBusResult);
    const signalR = value(signalRResult);
    const names = { ...DEFAULT_STAND_IN_SETTING_NAMES, ...options.settingNames };
    if (azurite) settings[names.storage] = azurite.connectionString;
    if (cosmos) {
      settings[names.cosmos] = cosmos.connectionString;
      settings[names.cosmosCaCertFile] = cosmos.caCertFile;
    }
    if (serviceBus) settings[names.serviceBus] = serviceBus.connectionString;
    if (signalR) settings[names.signalR] = signalR.connectionString;
    return {
      ...(azurite ? { azurite } : {}),
      ...(cosmos ? { cosmos } : {}),
      ...(serviceBus ? { serviceBus } : {}),
      ...(signalR ? { signalR } : {}),
      settings,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
