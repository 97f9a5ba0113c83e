/**
 * The project's Service Bus emulator (infra/local/servicebus) with the project topology
 * (infra/servicebus/config.json), through its `startServiceBusEmulator` entry point,
 * confirmed up by a TCP probe before the stack counts it as ready. Its administration API
 * (HTTPS on the same port) presents a certificate made once into `certDirectory`, so a
 * client can trust that file (NODE_EXTRA_CA_CERTS) across restarts.
 */
import path from "node:path";
import { startServiceBusEmulator, type EmulatorConfig, type OperationCounts } from "../servicebus";
import { ensureLocalCertificate } from "./localCertificate";
import { tcpAnswers, waitUntil } from "./probes";

export interface ServiceBusStandInOptions {
  readonly port?: number;
  readonly host?: string;
  readonly configPath?: string;
  /** Topology object instead of a file (tests). */
  readonly config?: EmulatorConfig;
  readonly log?: (line: string) => void;
  /** Where the administration API's certificate is kept (`cert.pem`, `key.pem`). */
  readonly certDirectory?: string;
  /** While this answers true, sends are refused with com.microsoft:server-busy. */
  readonly serverBusy?: () => boolean;
}

export interface RunningServiceBus {
  readonly port: number;
  readonly connectionString: string;
  /** https://host:port/: where ServiceBusAdministrationClient sends its requests. */
  readonly managementEndpoint: string;
  /** The certificate that endpoint presents, when it was kept in a file. */
  readonly caCertFile: string | undefined;
  /** Messages accepted so far, by queue or topic (for benchmarks). */
  acceptedMessages(): Record<string, number>;
  /** Client operations so far (sends, deliveries, settlements, management requests). */
  operationCounts(): OperationCounts;
  stop(): Promise<void>;
}

export async function startServiceBusStandIn(
  options: ServiceBusStandInOptions,
): Promise<RunningServiceBus> {
  // The same certificate recipe and lock as the Cosmos server, in its own folder.
  const pair = options.certDirectory
    ? await ensureLocalCertificate(options.certDirectory)
    : undefined;
  const running = await startServiceBusEmulator({
    ...(pair ? { tls: { cert: pair.cert, key: pair.key } } : {}),
    port: options.port ?? 5672,
    host: options.host ?? "127.0.0.1",
    ...(options.configPath ? { configPath: options.configPath } : {}),
    ...(options.config ? { config: options.config } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.serverBusy ? { serverBusy: options.serverBusy } : {}),
  });
  await waitUntil(`Service Bus emulator on port ${running.port}`, () =>
    tcpAnswers(running.port, options.host ?? "127.0.0.1"),
  );
  return {
    port: running.port,
    connectionString: running.connectionString,
    managementEndpoint: running.managementEndpoint,
    caCertFile: pair ? path.resolve(pair.certFile) : undefined,
    acceptedMessages: () => running.acceptedMessages(),
    operationCounts: () => running.operationCounts(),
    stop: () => running.close(),
  };
}
