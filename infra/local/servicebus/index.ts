import { existsSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import { resolve } from "node:path";
import { AdminHandler } from "./admin/adminHandler";
import { selfSignedPair, type TlsPair } from "./admin/selfSignedPair";
import { AmqpServer } from "./amqpServer";
import { Broker, type OperationCounts } from "./broker";
import { ProtocolListener } from "./protocolListener";
import { loadEmulatorConfig, parseEmulatorConfig, type EmulatorConfig } from "./config";
import { refuseSendsWhileBusy } from "./serverBusy";

export type { EmulatorConfig } from "./config";
export type { OperationCounts } from "./broker";
export { TopologyError, loadEmulatorConfig, parseEmulatorConfig } from "./config";
export { parseIsoDuration } from "./duration";
export type { TlsPair } from "./admin/selfSignedPair";

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
  /**
   * Certificate and key the administration API presents over HTTPS (on the AMQP port). Default:
   * one made in memory on first use, for localhost and 127.0.0.1.
   */
  tls?: TlsPair;
  /** While this answers true, sends are refused with com.microsoft:server-busy (fault injection). */
  serverBusy?: () => boolean;
}

/** A running emulator. */
export interface ServiceBusEmulator {
  readonly port: number;
  /** The official emulator's connection string, with this emulator's port. */
  readonly connectionString: string;
  /**
   * Where ServiceBusAdministrationClient sends its requests for this connection string:
   * https://host:port/, the AMQP port (it also answers plain http://host:port/).
   */
  readonly managementEndpoint: string;
  /**
   * The PEM certificate of that HTTPS endpoint, for the client to trust (NODE_EXTRA_CA_CERTS
   * naming a file that holds it, or the client's `tlsOptions: { ca }`).
   */
  certificatePem(): Promise<string>;
  /** Messages accepted from senders so far, by queue or topic (duplicates excluded). */
  acceptedMessages(): Record<string, number>;
  /** Client operations so far (sends, deliveries, settlements, management requests). */
  operationCounts(): OperationCounts;
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
  const amqp = new AmqpServer(broker, log);
  const admin = new AdminHandler(broker);
  const plainHttp = createHttpServer(admin.handle);
  let pair: Promise<TlsPair> | undefined;
  const certificate = (): Promise<TlsPair> =>
    (pair ??= options.tls ? Promise.resolve(options.tls) : selfSignedPair());
  let https: Promise<HttpsServer> | undefined;
  const httpsServer = (): Promise<HttpsServer> =>
    (https ??= certificate().then((p) =>
      createHttpsServer({ cert: p.cert, key: p.key }, admin.handle),
    ));
  const listener = new ProtocolListener({
    amqp: (socket) => {
      amqp.accept(socket);
      socket.resume();
    },
    http: (socket) => {
      plainHttp.emit("connection", socket);
      socket.resume();
    },
    tls: (socket) => {
      httpsServer().then(
        (server) => {
          server.emit("connection", socket);
          socket.resume();
        },
        (e: unknown) => {
          log(`servicebus: no TLS certificate for the administration API: ${String(e)}`);
          socket.destroy();
        },
      );
    },
  });
  let port: number;
  try {
    port = await listener.listen(options.port ?? 5672, host);
  } catch (e) {
    broker.close();
    throw e;
  }
  for (const e of broker.describeEntities()) log(`servicebus: ${e.path} ${e.summary}`);
  const connectionHost = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  return {
    port,
    connectionString: `Endpoint=sb://${connectionHost}:${port};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;`,
    managementEndpoint: `https://${connectionHost}:${port}/`,
    certificatePem: async () => (await certificate()).cert.toString(),
    acceptedMessages: () => broker.acceptedMessages(),
    operationCounts: () => ({ ...broker.operations }),
    async close() {
      await listener.close();
      broker.close();
    },
  };
}
