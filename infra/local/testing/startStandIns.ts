/**
 * Test helper: the stand-ins (Azurite, Cosmos server, Service Bus emulator, SignalR Service)
 * on free ports.
 * Cosmos and the Service Bus emulator run inside the test process, Azurite as a child process
 * with in-memory data, so a test can kill a host child process and keep every message and
 * document. Pass the returned `settings` to {@link startHostProcess} as `env`.
 */
import type { EmulatorConfig } from "../servicebus";
import {
  startStandIns as startLocalStandIns,
  type RunningStandIns,
  type StandInSettingNames,
} from "../launcher/standIns";

export type { RunningStandIns } from "../launcher/standIns";

export interface TestStandInsOptions {
  /** Start Azurite (child process, in-memory). Default true. */
  readonly azurite?: boolean;
  /** Start the Cosmos server (in-process, HTTPS, certificate in `.local/cosmos`). Default true. */
  readonly cosmos?: boolean;
  /** Start the Service Bus emulator (in-process). Default true. */
  readonly serviceBus?: boolean;
  /** Start the SignalR Service stand-in (in-process). Default true. */
  readonly signalR?: boolean;
  /** Service Bus topology (official Config.json format) instead of infra/servicebus/config.json. */
  readonly serviceBusConfig?: EmulatorConfig;
  /** The app's setting names for the connection details in `settings` (the runtime's by default). */
  readonly settingNames?: Partial<StandInSettingNames>;
}

/**
 * Starts the chosen stand-ins, all on port 0. `settings` holds AzureWebJobsStorage,
 * CosmosDbConnection + COSMOS_CA_CERT_FILE, ServiceBusConnection and
 * AzureSignalRConnectionString (or `settingNames`) for what runs;
 * `stop()` stops all of them.
 */
export function startStandIns(options: TestStandInsOptions = {}): Promise<RunningStandIns> {
  return startLocalStandIns({
    root: process.cwd(),
    inMemory: true,
    azurite: options.azurite ?? true,
    cosmos: options.cosmos ?? true,
    serviceBus: options.serviceBus ?? true,
    signalR: options.signalR ?? true,
    ...(options.serviceBusConfig ? { serviceBusConfig: options.serviceBusConfig } : {}),
    ...(options.settingNames ? { settingNames: options.settingNames } : {}),
    ports: {
      azuriteBlob: 0,
      azuriteQueue: 0,
      azuriteTable: 0,
      cosmos: 0,
      serviceBus: 0,
      signalR: 0,
    },
  });
}
