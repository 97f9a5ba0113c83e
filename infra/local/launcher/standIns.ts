/**
 * The stand-ins the app talks to locally: Azurite (AzureWebJobsStorage), the Cosmos server
 * (CosmosDbConnection), the Service Bus emulator (ServiceBusConnection) and the SignalR
 * Service (AzureSignalRConnectionString), and an identity stand-in for Entra ID (the AUTH_*
 * settings of token mode, docs/http-api.md "Identity"). Started together,
 * each waited for with a real probe; the settings that point the app at them come back.
 */
import path from "node:path";
import type { EmulatorConfig } from "../servicebus";
import { startFaultControlServer } from "../faults/faultControlServer";
import type { FaultInjector } from "../faults/faultInjector";
import { proxyAzurite, proxyServiceBus } from "../faults/proxiedStandIns";
import { startAzurite, type RunningAzurite } from "./azurite";
import { startCosmos, type RunningCosmos } from "./cosmos";
import { startServiceBusStandIn, type RunningServiceBus } from "./serviceBusStandIn";
import { startSignalRStandIn, type RunningSignalR } from "./signalRStandIn";
import { DEFAULT_IDENTITY_PORT, startIdentityService, type IdentityService } from "../identity";

export interface StandInPorts {
  readonly azuriteBlob: number;
  readonly azuriteQueue: number;
  readonly azuriteTable: number;
  readonly cosmos: number;
  readonly serviceBus: number;
  readonly signalR: number;
  readonly identity: number;
}

export const DEFAULT_STAND_IN_PORTS: StandInPorts = {
  azuriteBlob: 10000,
  azuriteQueue: 10001,
  azuriteTable: 10002,
  cosmos: 8081,
  serviceBus: 5672,
  signalR: 8888,
  identity: DEFAULT_IDENTITY_PORT,
};

/** Setting names that change each port. */
export const PORT_SETTINGS: Record<keyof StandInPorts, string> = {
  azuriteBlob: "AZURITE_BLOB_PORT",
  azuriteQueue: "AZURITE_QUEUE_PORT",
  azuriteTable: "AZURITE_TABLE_PORT",
  cosmos: "COSMOS_PORT",
  serviceBus: "SERVICEBUS_PORT",
  signalR: "SIGNALR_PORT",
  identity: "IDENTITY_PORT",
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
  /** The identity stand-in's OpenID configuration URL, issuer and accepted audiences. */
  readonly openIdConfigUrl: string;
  readonly tokenIssuer: string;
  readonly tokenAudiences: string;
}

export const DEFAULT_STAND_IN_SETTING_NAMES: StandInSettingNames = {
  storage: "AzureWebJobsStorage",
  cosmos: "CosmosDbConnection",
  cosmosCaCertFile: "COSMOS_CA_CERT_FILE",
  serviceBus: "ServiceBusConnection",
  signalR: "AzureSignalRConnectionString",
  openIdConfigUrl: "AUTH_OPENID_CONFIG_URL",
  tokenIssuer: "AUTH_TOKEN_ISSUER",
  tokenAudiences: "AUTH_TOKEN_AUDIENCES",
};

export interface StartStandInsOptions {
  /** Directory holding `.local/` (data, certificate). The current directory by default. */
  readonly root?: string;
  readonly azurite?: boolean;
  readonly cosmos?: boolean;
  readonly serviceBus?: boolean;
  readonly signalR?: boolean;
  readonly identity?: boolean;
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
  /**
   * Fault injection, off when absent: TCP proxies on Azurite's and the Service Bus
   * emulator's ports (the stand-ins listen behind them), a hook in front of the Cosmos
   * server's handler, and the control API on `controlPort` (0: a free one).
   */
  readonly faults?: { readonly injector: FaultInjector; readonly controlPort?: number };
}

export interface RunningStandIns {
  readonly azurite?: RunningAzurite;
  readonly cosmos?: RunningCosmos;
  readonly serviceBus?: RunningServiceBus;
  readonly signalR?: RunningSignalR;
  /** The fault injector and its control API, when started with `faults`. */
  readonly faults?: {
    readonly injector: FaultInjector;
    readonly url: string;
    readonly port: number;
  };
  readonly identity?: IdentityService;
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
  const faults = options.faults?.injector;
  try {
    const results = await Promise.allSettled([
      options.azurite === false
        ? undefined
        : startAzurite({
            location: path.join(root, ".local", "azurite"),
            host,
            blobPort: faults ? 0 : ports.azuriteBlob,
            queuePort: faults ? 0 : ports.azuriteQueue,
            tablePort: faults ? 0 : ports.azuriteTable,
            ...(options.inMemory ? { inMemory: true } : {}),
            ...(options.log ? { log: options.log } : {}),
          }).then((azurite) =>
            faults
              ? proxyAzurite(
                  azurite,
                  { blob: ports.azuriteBlob, queue: ports.azuriteQueue, table: ports.azuriteTable },
                  host,
                  faults.storage,
                )
              : azurite,
          ),
      options.cosmos === false
        ? undefined
        : startCosmos({
            certDirectory: path.join(root, ".local", "cosmos"),
            port: ports.cosmos,
            host,
            ...(faults ? { faults: faults.cosmos } : {}),
          }),
      options.serviceBus === false
        ? undefined
        : startServiceBusStandIn({
            port: faults ? 0 : ports.serviceBus,
            host,
            certDirectory: path.join(root, ".local", "servicebus"),
            ...(options.serviceBusConfigPath ? { configPath: options.serviceBusConfigPath } : {}),
            ...(options.serviceBusConfig ? { config: options.serviceBusConfig } : {}),
            ...(options.log ? { log: options.log } : {}),
            ...(faults ? { serverBusy: faults.serviceBus.isBusy } : {}),
          }).then((serviceBus) =>
            faults
              ? proxyServiceBus(serviceBus, ports.serviceBus, host, faults.serviceBus)
              : serviceBus,
          ),
      options.signalR === false
        ? undefined
        : startSignalRStandIn({
            port: ports.signalR,
            host,
            ...(options.log ? { log: options.log } : {}),
          }),
      options.identity === false
        ? undefined
        : startIdentityService({
            port: ports.identity,
            host,
            keyDirectory: path.join(root, ".local", "identity"),
          }).catch((error: unknown) => {
            if ((error as NodeJS.ErrnoException).code === "EADDRINUSE")
              throw new Error(
                `Identity stand-in: port ${ports.identity} is already in use (IDENTITY_PORT moves it).`,
                { cause: error },
              );
            throw error;
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
    const [azuriteResult, cosmosResult, serviceBusResult, signalRResult, identityResult] = results;
    const value = <T>(r: PromiseSettledResult<T> | undefined): T | undefined =>
      r?.status === "fulfilled" ? r.value : undefined;
    const azurite = value(azuriteResult);
    const cosmos = value(cosmosResult);
    const serviceBus = value(serviceBusResult);
    const signalR = value(signalRResult);
    const identity = value(identityResult);
    const names = { ...DEFAULT_STAND_IN_SETTING_NAMES, ...options.settingNames };
    if (azurite) settings[names.storage] = azurite.connectionString;
    if (cosmos) {
      settings[names.cosmos] = cosmos.connectionString;
      settings[names.cosmosCaCertFile] = cosmos.caCertFile;
    }
    if (serviceBus) settings[names.serviceBus] = serviceBus.connectionString;
    if (signalR) settings[names.signalR] = signalR.connectionString;
    let control: RunningStandIns["faults"];
    if (faults) {
      const server = await startFaultControlServer(faults, {
        port: options.faults?.controlPort ?? 0,
        host,
      });
      started.push({
        stop: () => {
          faults.clear();
          return server.close();
        },
      });
      control = { injector: faults, url: server.url, port: server.port };
    }
    if (identity) {
      settings[names.openIdConfigUrl] = identity.openIdConfigUrl;
      settings[names.tokenIssuer] = identity.issuer;
      settings[names.tokenAudiences] = identity.audiences.join(",");
    }
    return {
      ...(control ? { faults: control } : {}),
      ...(azurite ? { azurite } : {}),
      ...(cosmos ? { cosmos } : {}),
      ...(serviceBus ? { serviceBus } : {}),
      ...(signalR ? { signalR } : {}),
      ...(identity ? { identity } : {}),
      settings,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
