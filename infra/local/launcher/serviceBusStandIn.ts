/**
 * The project's Service Bus emulator (infra/local/servicebus) with the project topology
 * (infra/servicebus/config.json), through its `startServiceBusEmulator` entry point,
 * confirmed up by a TCP probe before the stack counts it as ready.
 */
import { startServiceBusEmulator, type EmulatorConfig } from "../servicebus";
import { tcpAnswers, waitUntil } from "./probes";

export interface ServiceBusStandInOptions {
  readonly port?: number;
  readonly host?: string;
  readonly configPath?: string;
  /** Topology object instead of a file (tests). */
  readonly config?: EmulatorConfig;
  readonly log?: (line: string) => void;
  /** While this answers true, sends are refused with com.microsoft:server-busy. */
  readonly serverBusy?: () => boolean;
}

export interface RunningServiceBus {
  readonly port: number;
  readonly connectionString: string;
  /** Messages accepted so far, by queue or topic (for benchmarks). */
  acceptedMessages(): Record<string, number>;
  stop(): Promise<void>;
}

export async function startServiceBusStandIn(
  options: ServiceBusStandInOptions,
): Promise<RunningServiceBus> {
  const running = await startServiceBusEmulator({
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
    acceptedMessages: () => running.acceptedMessages(),
    stop: () => running.close(),
  };
}
