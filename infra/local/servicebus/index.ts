import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { AmqpServer } from "./amqpServer";
import { Broker } from "./broker";
import { loadEmulatorConfig, parseEmulatorConfig, type EmulatorConfig } from "./config";
import { refuseSendsWhileBusy } from "./serverBusy";

export type { EmulatorConfig } from "./config";
export { TopologyError, loadEmulatorConfig, parseEmulatorConfig } from "./config";
export { parseIsoDuration } from "./duration";

/** Options of {@link startServiceBusEmulator}. */
export interface StartServiceBusEmulatorOptions {
  /** TCP port; 0 picks a free one. Default 5672, the official emulator's port. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Config.json in the official emulator's format (must exist). Default: SERVICEBUS_CONFIG_PATH, else infra/servicebus/config.json under the current directory when it exists, else no entities. */
  configPath?: string;
  /** The topology itself, instead of a file (tests). */
  config?: EmulatorConfig;
  /** Receives one line per entity at start-up, and protocol errors. */
  log?: (line: string) => void;
  /** While this answers true, sends are refused with com.microsoft:server-busy (fault injection). */
  serverBusy?: () => boolean;
}

/** A running emulator. */
export interface ServiceBusEmulator {
  readonly port: number;
  /** The official emulator's connection string, with this emulator's port. */
  readonly connectionString: string;
  /** Messages accepted from senders so far, by queue or topic (duplicates excluded). */
  acceptedMessages(): Record<string, number>;
  /** Stops listening, drops every connection and every message. */
  close(): Promise<void>;
}

/**
 * The app's topology: `SERVICEBUS_CONFIG_PATH`, else `infra/servicebus/config.json` under the
 * app directory (the current directory, where `npm start` and the tests run).
 */
export function defaultConfigPath(
  env: Readonly<Record<string, string | undefined>> = process.env,
  appDirectory: string = process.cwd(),
): string {
  return resolve(appDirectory, env.SERVICEBUS_CONFIG_PATH || "infra/servicebus/config.json");
}

/**
 * The topology file: a path the caller names must exist; the default one may be absent (an
 * app without Service Bus entities, or one that creates them at run time).
 */
function loadTopology(configPath: string | undefined, log: (line: string) => void): EmulatorConfig {
  if (configPath !== undefined) return loadEmulatorConfig(configPath);
  const fallback = defaultConfigPath();
  if (existsSync(fallback)) return loadEmulatorConfig(fallback);
  log(`servicebus: no topology at ${fallback} (SERVICEBUS_CONFIG_PATH names another); no entities`);
  return parseEmulatorConfig({ UserConfig: { Namespaces: [{ Name: "sbemulatorns" }] } }, "config");
}

/**
 * Starts the in-memory Service Bus emulator that the unmodified `@azure/service-bus` client
 * talks to over AMQP 1.0. The topology is validated first; a malformed one rejects with a
 * TopologyError naming the entry.
 */
export async function startServiceBusEmulator(
  options: StartServiceBusEmulatorOptions = {},
): Promise<ServiceBusEmulator> {
  const log = options.log ?? (() => undefined);
  const host = options.host ?? "127.0.0.1";
  const config = options.config
    ? parseEmulatorConfig(options.config, "config")
    : loadTopology(options.configPath, log);
  const broker = new Broker(config, "localhost");
  if (options.serverBusy) refuseSendsWhileBusy(broker, options.serverBusy);
  const server = new AmqpServer(broker, log);
  let port: number;
  try {
    port = await server.listen(options.port ?? 5672, host);
  } catch (e) {
    broker.close();
    throw e;
  }
  for (const e of broker.entities) log(`servicebus: ${e.path} ${e.summary}`);
  const connectionHost = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  return {
    port,
    connectionString: `Endpoint=sb://${connectionHost}:${port};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;`,
    acceptedMessages: () => broker.acceptedMessages(),
    async close() {
      await server.close();
      broker.close();
    },
  };
}
