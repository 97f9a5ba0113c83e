/**
 * Test helper: Azurite's Table and Queue services (the task hub's tables, the partitions'
 * control queues) as child processes on free ports, in memory, with the connection string
 * the engine reads from `AzureWebJobsStorage`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { freePort } from "../../testing/freePorts";

export interface AzuriteTables {
  readonly connectionString: string;
  readonly port: number;
  stop(): Promise<void>;
}

const WELL_KNOWN_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

function startService(service: "table" | "queue", port: number): Promise<ChildProcess> {
  const bin = path.join(
    require.resolve("azurite/package.json"),
    "..",
    "dist",
    "src",
    service,
    "main.js",
  );
  const child: ChildProcess = spawn(
    process.execPath,
    [
      bin,
      `--${service}Host`,
      "127.0.0.1",
      `--${service}Port`,
      String(port),
      "--inMemoryPersistence",
      "--skipApiVersionCheck",
      "--disableTelemetry",
      "--silent",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  return new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (/successfully (listening|listens|started)/i.test(output)) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`Azurite exited (${code}): ${output}`)));
  }).then(() => child);
}

export async function startAzuriteTables(): Promise<AzuriteTables> {
  const [port, queuePort] = [await freePort(), await freePort()];
  const children = await Promise.all([
    startService("table", port),
    startService("queue", queuePort),
  ]);
  const exited = children.map(
    (c) => new Promise<void>((resolve) => c.once("exit", () => resolve())),
  );
  return {
    port,
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${WELL_KNOWN_KEY};` +
      `TableEndpoint=http://127.0.0.1:${port}/devstoreaccount1;` +
      `QueueEndpoint=http://127.0.0.1:${queuePort}/devstoreaccount1;`,
    async stop() {
      for (const child of children) child.kill("SIGTERM");
      await Promise.all(exited);
    },
  };
}
