/**
 * `npm start` (after `npm run build`): the whole local stack with one command.
 * 1. local.settings.json (created from the sample on first start) becomes the environment;
 * 2. every port is checked free, so a clash is reported by name before anything starts;
 * 3. the stand-ins start in one child process and report ready after real probes;
 * 4. the Functions host starts as a second child process against them;
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
import type { FunctionSummary } from "../host/startHost";
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
      baseUrl?: string;
      functions?: FunctionSummary[];
    }
  | { type: "failed"; message: string };
/** More host crashes than this within the window stop the whole stack. */
const MAX_RESTARTS = 3;
const MAX_RESTARTS_WINDOW_MS = 60_000;

type ReadyPorts = Partial<Record<keyof StandInPorts, number>>;

function fail(message: string): never {
  process.stderr.write(`\nnpm start: ${message}\n`);
  process.exit(1);
}

/** Waits for a forked child's ready message; rejects with its reason if it fails or exits. */
function whenReady(
  child: ChildProcess,
  what: string,
): Promise<Extract<ChildMessage, { type: "ready" }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ChildMessage): void => {
      if (message.type === "ready") {
        cleanup();
        resolve(message);
      } else if (message.type === "failed") {
        cleanup();
        reject(new Error(message.message));
      }
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(
        new Error(
          `${what} exited (code ${String(code)}) before it was ready; see its output above.`,
        ),
      );
    };
    const cleanup = (): void => {
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    child.on("message", onMessage);
    child.on("exit", onExit);
  });
}

function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
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
  const children: { standIns?: ChildProcess; host?: ChildProcess } = {};
  let shuttingDown = false;
  const shutdown = async (code: number): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    await stopChild(children.host);
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
    ready = await whenReady(standIns, "The stand-ins process");
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
  const hostEnv: Record<string, string | undefined> = {
    ...process.env,
    [HOST_PORT_SETTING]: String(hostPort),
  };
  for (const [name, value] of Object.entries(settings)) {
    if (pointsAtLocal(hostEnv[name])) hostEnv[name] = value;
  }
  const startHost = (): ChildProcess => {
    const child = fork(path.join(dist, "host", "main.js"), [], {
      cwd: root,
      env: hostEnv,
      detached: true,
    });
    children.host = child;
    return child;
  };
  const host = startHost();
  let hostReady: Extract<ChildMessage, { type: "ready" }>;
  try {
    hostReady = await whenReady(host, "The Functions host");
  } catch (error) {
    process.stderr.write(
      `\nnpm start: the Functions host did not start: ${(error as Error).message}\nThe stand-ins came up; to run only them, use npm start -- --standins-only.\n`,
    );
    await shutdown(1);
    return;
  }
  // A host that dies after it was up is restarted, as Azure replaces a lost instance; the
  // stand-ins keep every message and document meanwhile. Repeated crashes stop the stack.
  const restarts: number[] = [];
  let hostUp = true;
  const hostKills = answerHostKills(standIns, () => (hostUp ? children.host : undefined));
  const watch = (child: ChildProcess): void => {
    child.once("exit", (code, signal) => {
      if (shuttingDown) return;
      hostUp = false;
      if (hostKills.wasKilled(child)) {
        process.stderr.write(`\nThe Functions host was killed (fault injection); restarting it.\n`);
        restart();
        return;
      }
      const now = Date.now();
      restarts.push(now);
      while (restarts.length > 0 && now - restarts[0]! > MAX_RESTARTS_WINDOW_MS) restarts.shift();
      if (restarts.length > MAX_RESTARTS) {
        process.stderr.write(
          `\nThe Functions host exited (code ${String(code)}, signal ${String(signal)}) ${restarts.length} times within a minute; stopping.\n`,
        );
        void shutdown(1);
        return;
      }
      process.stderr.write(
        `\nThe Functions host exited unexpectedly (code ${String(code)}, signal ${String(signal)}); restarting it.\n`,
      );
      restart();
    });
  };
  const restart = (): void => {
    const next = startHost();
    whenReady(next, "The restarted Functions host").then(
      () => {
        hostUp = true;
        hostKills.restarted();
        watch(next);
      },
      (error: unknown) => {
        process.stderr.write(`\nnpm start: ${(error as Error).message}; stopping.\n`);
        void shutdown(1);
      },
    );
  };
  watch(host);
  process.stdout.write(
    formatReadyBlock({
      hostBaseUrl: hostReady.baseUrl ?? `http://localhost:${hostPort}`,
      functions: hostReady.functions ?? [],
      ports: ready.ports ?? {},
      settings,
      ...(faultsUrl ? { faultsUrl } : {}),
      systemKey: process.env.LOCAL_HOST_SYSTEM_KEY,
      ...(startPage ? { startPage } : {}),
    }),
  );
}

if (require.main === module) void main();
