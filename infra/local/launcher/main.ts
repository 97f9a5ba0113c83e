/**
 * `npm start` (after `npm run build`): the whole local stack with one command.
 * 1. local.settings.json (created from the sample on first start) becomes the environment;
 * 2. every port is checked free, so a clash is reported by name before anything starts;
 * 3. the stand-ins start in one child process and report ready after real probes;
 * 4. the Functions host starts as a second child process against them (`--instances N`: N
 *    host processes sharing the work, behind a round-robin proxy on the host port);
 * 5. one ready block lists every function and URL. Ctrl-C / SIGTERM stop everything; a host
 *    that dies is restarted (the stand-ins keep their state), up to 3 times a minute.
 * `--standins-only` stops after step 3 (for `func start` users); `--open <path>` prints that
 * page of the app in the ready block. `--faults` turns on fault injection in the stand-ins,
 * driven by its control API (`npm run faults`); a host it kills is restarted and does not
 * count as a crash.
 */
import { randomBytes } from "node:crypto";
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { FAULTS_PORT_SETTING, faultsPortFrom } from "../faults/faultsPort";
import { answerHostKills } from "../faults/hostKillMessages";
import { applyLocalSettings } from "../host/localSettings";
import {
  startHostInstances,
  stopChild,
  whenReady,
  type RunningHostInstances,
} from "./hostInstances";
import { portIsFree } from "./probes";
import { formatReadyBlock } from "./readyBlock";
import { HOST_PORT_SETTING, hostPortFrom, standInPortsFrom } from "./settingsPorts";
import { PORT_SETTINGS, type StandInPorts } from "./standIns";

const NAMES: Record<keyof StandInPorts, string> = {
  azuriteBlob: "Azurite blob",
  azuriteQueue: "Azurite queue",
  azuriteTable: "Azurite table",
  cosmos: "Cosmos server",
  serviceBus: "Service Bus emulator",
  signalR: "SignalR Service",
  identity: "Identity stand-in",
};

type ChildMessage =
  | {
      type: "ready";
      settings?: Record<string, string>;
      ports?: ReadyPorts;
      faultsUrl?: string;
    }
  | { type: "failed"; message: string };

type ReadyPorts = Partial<Record<keyof StandInPorts, number>>;

function fail(message: string): never {
  process.stderr.write(`\nnpm start: ${message}\n`);
  process.exit(1);
}

/** `--instances N`: how many Functions host processes (1 by default). */
export function instancesFrom(argv: readonly string[]): number {
  const at = argv.indexOf("--instances");
  if (at < 0) return 1;
  const raw = argv[at + 1];
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 16) {
    throw new Error(`--instances must be a whole number from 1 to 16, got "${String(raw)}".`);
  }
  return n;
}

/** A setting the user pointed at something other than a local stand-in is left alone. */
function pointsAtLocal(value: string | undefined): boolean {
  return (
    value === undefined ||
    value === "" ||
    /localhost|127\.0\.0\.1|UseDevelopmentStorage=true/i.test(value)
  );
}

async function main(): Promise<void> {
  const standInsOnly = process.argv.includes("--standins-only");
  const faults = process.argv.includes("--faults");
  let instances = 1;
  try {
    instances = instancesFrom(process.argv);
  } catch (error) {
    fail((error as Error).message);
  }
  // `--open <path>`: a page of the app to print in the ready block (npm start names the storefront).
  const openAt = process.argv.indexOf("--open");
  const startPage = openAt >= 0 ? process.argv[openAt + 1] : undefined;
  const root = process.cwd();
  let hostLocalPort: number | string | undefined;
  try {
    const local = applyLocalSettings(root, process.env);
    hostLocalPort = local.host.LocalHttpPort;
    if (local.created)
      process.stdout.write(`Created local.settings.json from local.settings.sample.json.\n`);
  } catch (error) {
    fail((error as Error).message);
  }

  const ports = standInPortsFrom(process.env);
  const hostPort = hostPortFrom(process.env, hostLocalPort);
  const checks: Array<[string, number, string]> = (
    Object.keys(ports) as Array<keyof StandInPorts>
  ).map((k) => [NAMES[k], ports[k], PORT_SETTINGS[k]]);
  if (!standInsOnly) checks.push(["Functions host", hostPort, HOST_PORT_SETTING]);
  if (faults) {
    try {
      checks.push(["Fault control API", faultsPortFrom(process.env), FAULTS_PORT_SETTING]);
    } catch (error) {
      fail((error as Error).message);
    }
  }
  for (const [name, port, setting] of checks) {
    if (port !== 0 && !(await portIsFree(port))) {
      fail(
        `port ${port} (${name}) is already in use. Stop what uses it (an earlier npm start or func start?), or set ${setting} to a free port in local.settings.json Values or the environment.`,
      );
    }
  }

  const dist = path.resolve(__dirname, "..");
  const children: { standIns?: ChildProcess; hosts?: RunningHostInstances } = {};
  let shuttingDown = false;
  const shutdown = async (code: number): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    await children.hosts?.stop();
    await stopChild(children.standIns);
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  // Children get their own process group: Ctrl-C reaches only the launcher, which then stops
  // the host first (in-flight work finishes) and the stand-ins after it.
  const standIns = fork(
    path.join(dist, "launcher", "standInsMain.js"),
    faults ? ["--faults"] : [],
    {
      cwd: root,
      env: process.env,
      detached: true,
    },
  );
  children.standIns = standIns;
  let ready: Extract<ChildMessage, { type: "ready" }>;
  try {
    ready = await whenReady<Extract<ChildMessage, { type: "ready" }>>(
      standIns,
      "The stand-ins process",
    );
  } catch (error) {
    await stopChild(standIns);
    fail(`a stand-in failed to start: ${(error as Error).message}`);
  }
  const settings = ready.settings ?? {};
  standIns.on("exit", (code) => {
    if (shuttingDown) return;
    process.stderr.write(
      `\nThe stand-ins process exited unexpectedly (code ${String(code)}); stopping.\n`,
    );
    void shutdown(1);
  });

  const faultsUrl = ready.faultsUrl;
  if (standInsOnly) {
    process.stdout.write(
      formatReadyBlock({
        ports: ready.ports ?? {},
        settings,
        standInsOnly: true,
        ...(faultsUrl ? { faultsUrl } : {}),
      }),
    );
    return;
  }

  // One system key for the stack's life, so it stays valid across host restarts.
  process.env.LOCAL_HOST_SYSTEM_KEY ||= randomBytes(24).toString("base64url");
  const hostEnv: Record<string, string | undefined> = { ...process.env };
  for (const [name, value] of Object.entries(settings)) {
    if (pointsAtLocal(hostEnv[name])) hostEnv[name] = value;
  }
  // Kills asked for through the fault control API: the host is SIGKILLed and restarted, and
  // the exit does not count as a crash.
  const hostKills = answerHostKills(standIns, () => children.hosts?.runningHost());
  let hosts: RunningHostInstances;
  try {
    hosts = await startHostInstances({
      dist,
      cwd: root,
      env: hostEnv,
      port: hostPort,
      hostname: process.env.LOCAL_HTTP_HOST ?? "127.0.0.1",
      instances,
      isStopping: () => shuttingDown,
      wasKilled: (child) => hostKills.wasKilled(child),
      restarted: () => hostKills.restarted(),
      gaveUp: (message) => {
        process.stderr.write(`\nnpm start: ${message}\n`);
        void shutdown(1);
      },
    });
  } catch (error) {
    process.stderr.write(
      `\nnpm start: the Functions host did not start: ${(error as Error).message}\nThe stand-ins came up; to run only them, use npm start -- --standins-only.\n`,
    );
    await shutdown(1);
    return;
  }
  children.hosts = hosts;
  process.stdout.write(
    formatReadyBlock({
      hostBaseUrl: hosts.baseUrl || `http://localhost:${hostPort}`,
      instanceUrls: instances > 1 ? hosts.instanceUrls : undefined,
      functions: hosts.functions,
      ports: ready.ports ?? {},
      settings,
      ...(faultsUrl ? { faultsUrl } : {}),
      systemKey: process.env.LOCAL_HOST_SYSTEM_KEY,
      ...(startPage ? { startPage } : {}),
    }),
  );
}

if (require.main === module) void main();
