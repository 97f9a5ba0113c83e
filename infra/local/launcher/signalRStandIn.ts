/**
 * The project's SignalR Service stand-in (infra/local/signalr) on its own port (8888, as
 * Microsoft's emulator), confirmed up by its health route before the stack counts it ready.
 */
import { startSignalRService, type SignalRService } from "../signalr";
import { httpAnswers, waitUntil } from "./probes";

export interface SignalRStandInOptions {
  readonly port?: number;
  readonly host?: string;
  readonly log?: (line: string) => void;
}

export type RunningSignalR = Pick<
  SignalRService,
  | "port"
  | "endpoint"
  | "connectionString"
  | "delivered"
  | "connectionCount"
  | "dropConnections"
  | "setUnavailable"
> & { stop(): Promise<void> };

export async function startSignalRStandIn(options: SignalRStandInOptions): Promise<RunningSignalR> {
  const host = options.host ?? "127.0.0.1";
  let service: SignalRService;
  try {
    service = await startSignalRService({
      port: options.port ?? 8888,
      host,
      ...(options.log ? { log: options.log } : {}),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE")
      throw new Error(
        `SignalR Service stand-in: port ${options.port} is already in use (SIGNALR_PORT moves it).`,
        { cause: error },
      );
    throw error;
  }
  await waitUntil(`SignalR Service stand-in on port ${service.port}`, () =>
    httpAnswers(`http://${host}:${service.port}/api/v1/health`),
  );
  return {
    port: service.port,
    endpoint: service.endpoint,
    connectionString: service.connectionString,
    delivered: () => service.delivered(),
    connectionCount: (hub, userId) => service.connectionCount(hub, userId),
    dropConnections: () => service.dropConnections(),
    setUnavailable: (unavailable) => service.setUnavailable(unavailable),
    stop: () => service.close(),
  };
}
