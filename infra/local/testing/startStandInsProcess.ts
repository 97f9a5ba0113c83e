/**
 * Benchmark helper: the stand-ins (Azurite in memory, the Cosmos server, the Service Bus
 * emulator) in a process of their own, as `npm start` runs them, on free ports. Unlike
 * {@link startStandIns} (in the caller's process) their CPU time is their own, so a benchmark
 * can tell what each process of the stack spent; `stats()` asks them what they were asked to do.
 */
import { fork, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import type { CosmosRequestStats } from "../launcher/cosmosRequestStats";
import type { OperationCounts } from "../servicebus";
import { freeStandInPorts } from "./freePorts";
import { LineCollector } from "./lineCollector";
import { runtimeDist } from "./runtimePaths";

export interface StandInsStats {
  readonly cosmos: CosmosRequestStats;
  readonly serviceBus: {
    readonly accepted: Record<string, number>;
    readonly operations: OperationCounts;
  };
}

export interface StandInsProcess {
  readonly child: ChildProcess;
  /** App settings pointing at the stand-ins (connection strings, COSMOS_CA_CERT_FILE). */
  readonly settings: Readonly<Record<string, string>>;
  /** The stand-ins' process and Azurite's (a child of it). */
  readonly pids: { readonly standIns: number; readonly azurite?: number };
  stats(): Promise<StandInsStats>;
  stop(): Promise<void>;
}

interface ReadyMessage {
  type: "ready";
  settings: Record<string, string>;
  pids: { standIns: number; azurite?: number };
}

export async function startStandInsProcess(
  options: {
    env?: Readonly<Record<string, string | undefined>>;
    timeoutMs?: number;
    /** Options for node itself (`--cpu-prof` for a profile; Azurite gets them too). */
    nodeArgs?: readonly string[];
  } = {},
): Promise<StandInsProcess> {
  const main = runtimeDist("launcher", "standInsMain.js");
  if (!existsSync(main)) throw new Error(`${main} does not exist: run npm run build first.`);
  const env: Record<string, string | undefined> = {
    ...process.env,
    ...freeStandInPorts(),
    ...options.env,
  };
  const child = fork(main, ["--in-memory"], {
    env,
    execArgv: [...(options.nodeArgs ?? [])],
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const output = new LineCollector();
  output.attach(child.stdout);
  output.attach(child.stderr);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = await new Promise<ReadyMessage>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The stand-ins were not ready in time:\n${output.lines.join("\n")}`)),
      options.timeoutMs ?? 60_000,
    );
    child.on("message", (message: { type?: string; message?: string }) => {
      if (message.type === "ready") {
        clearTimeout(timer);
        resolve(message as ReadyMessage);
      } else if (message.type === "failed") {
        clearTimeout(timer);
        reject(new Error(`The stand-ins failed to start: ${String(message.message)}`));
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`The stand-ins process exited:\n${output.lines.join("\n")}`));
    });
  }).catch(async (error: unknown) => {
    child.kill("SIGKILL");
    await exited;
    throw error;
  });
  return {
    child,
    settings: ready.settings,
    pids: ready.pids,
    stats: () =>
      new Promise<StandInsStats>((resolve) => {
        const onMessage = (message: { type?: string }): void => {
          if (message.type !== "stats") return;
          child.off("message", onMessage);
          resolve(message as unknown as StandInsStats);
        };
        child.on("message", onMessage);
        child.send({ type: "stats" });
      }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
