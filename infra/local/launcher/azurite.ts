/**
 * Azurite (blob, queue, table) as a child process of the stand-ins process: its own CLI entry
 * run with node, data under `.local/azurite`, API version checks off (newer SDKs send versions
 * Azurite 3.35 does not know yet), telemetry off. Ready when every service answers HTTP.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { LineCollector } from "../testing/lineCollector";
import { httpAnswers, waitUntil } from "./probes";

/** Azurite's well-known development account (public, documented by Microsoft). */
export const DEV_ACCOUNT_NAME = "devstoreaccount1";
export const DEV_ACCOUNT_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface AzuriteOptions {
  readonly location: string;
  readonly host?: string;
  readonly blobPort?: number;
  readonly queuePort?: number;
  readonly tablePort?: number;
  /** Keep data in memory only (tests). */
  readonly inMemory?: boolean;
  readonly log?: (line: string) => void;
}

export interface RunningAzurite {
  /** Azurite's process (its CPU time is part of what a benchmark measures). */
  readonly pid: number | undefined;
  readonly blobPort: number;
  readonly queuePort: number;
  readonly tablePort: number;
  /** A connection string with explicit endpoints (works on any port). */
  readonly connectionString: string;
  stop(): Promise<void>;
}

export function azuriteConnectionString(
  host: string,
  blobPort: number,
  queuePort: number,
  tablePort: number,
): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT_NAME};AccountKey=${DEV_ACCOUNT_KEY};` +
    `BlobEndpoint=http://${host}:${blobPort}/${DEV_ACCOUNT_NAME};` +
    `QueueEndpoint=http://${host}:${queuePort}/${DEV_ACCOUNT_NAME};` +
    `TableEndpoint=http://${host}:${tablePort}/${DEV_ACCOUNT_NAME};`
  );
}

export async function startAzurite(options: AzuriteOptions): Promise<RunningAzurite> {
  const host = options.host ?? "127.0.0.1";
  if (!options.inMemory) {
    // The Cosmos server and the Service Bus emulator keep their state in memory, so every
    // `npm start` begins with no orders and no messages. Durable history left in Azurite
    // from an earlier run would resume sagas for orders that no longer exist, so Azurite
    // starts clean too. (A restart of the Functions host alone keeps everything.)
    rmSync(options.location, { recursive: true, force: true });
    mkdirSync(options.location, { recursive: true });
  }
  const entry = path.join(
    path.dirname(require.resolve("azurite/package.json")),
    "dist",
    "src",
    "azurite.js",
  );
  const args = [
    entry,
    "--skipApiVersionCheck",
    "--loose",
    "--disableTelemetry",
    "--silent",
    "--blobHost",
    host,
    "--queueHost",
    host,
    "--tableHost",
    host,
    "--blobPort",
    String(options.blobPort ?? 10000),
    "--queuePort",
    String(options.queuePort ?? 10001),
    "--tablePort",
    String(options.tablePort ?? 10002),
  ];
  // Azurite refuses a location together with in-memory persistence.
  args.push(...(options.inMemory ? ["--inMemoryPersistence"] : ["--location", options.location]));
  // A profiled stand-ins process (`npm run profile`) has Azurite profiled the same way.
  const profiling = process.execArgv.filter((a) => a.startsWith("--cpu-prof"));
  const child: ChildProcess = spawn(process.execPath, [...profiling, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = new LineCollector();
  output.attach(child.stdout);
  output.attach(child.stderr);
  let exit: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once("close", (code, signal) => {
      exit = `Azurite exited (code ${String(code)}, signal ${String(signal)}): ${output.lines.slice(-5).join(" | ")}`;
      resolve();
    });
  });
  // If this process ends without stop() (a crash, process.exit), do not leave Azurite behind.
  const killOnExit = (): void => {
    child.kill("SIGTERM");
  };
  process.once("exit", killOnExit);
  void exited.then(() => process.off("exit", killOnExit));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  try {
    const portOf = async (service: string): Promise<number> => {
      const line = await output.waitFor(
        new RegExp(`Azurite ${service} service is successfully listening at http://[^:]+:(\\d+)`),
        30_000,
        exited,
      );
      return Number(/:(\d+)\s*$/.exec(line)?.[1]);
    };
    const [blobPort, queuePort, tablePort] = [
      await portOf("Blob"),
      await portOf("Queue"),
      await portOf("Table"),
    ];
    for (const port of [blobPort, queuePort, tablePort]) {
      await waitUntil(`Azurite on port ${port}`, () => httpAnswers(`http://${host}:${port}/`), {
        failed: () => (exit ? new Error(exit) : undefined),
      });
    }
    output.lines.forEach((l) => options.log?.(`azurite: ${l}`));
    return {
      pid: child.pid,
      blobPort,
      queuePort,
      tablePort,
      connectionString: azuriteConnectionString(host, blobPort, queuePort, tablePort),
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(`Azurite failed to start: ${exit ?? (error as Error).message}`, {
      cause: error,
    });
  }
}
