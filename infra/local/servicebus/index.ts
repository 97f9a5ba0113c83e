import { resolve } from "node:path";
import { AmqpServer } from "./amqpServer";
import { Broker } from "./broker";
import { loadEmulatorConfig, parseEmulatorConfig, type EmulatorConfig } from "./config";

export type { EmulatorConfig } from "./config";
export { TopologyError } from "./config";

/** Options of {@link startServiceBusEmulator}. */
export interface StartServiceBusEmulatorOptions {
  /** TCP port; 0 picks a free one. Default 5672, the official emulator's port. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Config.json in the official emulator's format. Default: infra/servicebus/config.json. */
  configPath?: string;
  /** The topology itself, instead of a file (tests). */
  config?: EmulatorConfig;
  /** Receives one line per entity at start-up, and protocol errors. */
  log?: (line: string) => void;
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

/** The project's topology, found from the repository root (works from src and from dist/). */
export function defaultConfigPath(): string {
  const root = __dirname.includes(`${"/"}dist${"/"}`)
    ? resolve(__dirname, "../../../..")
    : resolve(__dirname, "../../..");
  return resolve(root, "infra/servicebus/config.json");
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
  const configPath = options.configPath ?? defaultConfigPath();
  const config = options.config
    ? parseEmulatorConfig(options.config, "config")
    : loadEmulatorConfig(configPath);
  const broker = new Broker(config, "localhost");
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
