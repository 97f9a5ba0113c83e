/**
 * The launcher's Functions host instances: N host processes of the app against the same
 * stand-ins, as Azure scales a function app out. With one, it listens on the host port; with
 * several, each listens on a port of its own and a round-robin proxy on the host port fronts
 * them, as Azure's front end does. Each instance has its own worker id
 * (`LOCAL_HOST_INSTANCE_ID`), which it keeps when it is restarted: an instance that dies is
 * started again, as Azure replaces a lost instance, up to 3 times a minute for all of them.
 */
import { fork, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import type { FunctionSummary } from "../host/startHost";
import { startRoundRobinProxy, type RoundRobinProxy } from "./roundRobinProxy";

export type HostMessage =
  | { type: "ready"; baseUrl?: string; functions?: FunctionSummary[] }
  | { type: "failed"; message: string };

/** More host crashes than this within the window stop the whole stack. */
const MAX_RESTARTS = 3;
const MAX_RESTARTS_WINDOW_MS = 60_000;

export interface HostInstancesOptions {
  readonly dist: string;
  readonly cwd: string;
  readonly env: Record<string, string | undefined>;
  readonly port: number;
  readonly hostname: string;
  readonly instances: number;
  /** Called when the instances cannot be kept up (too many crashes); the stack stops. */
  readonly gaveUp: (message: string) => void;
  readonly isStopping: () => boolean;
  /** Whether the launcher killed this child on purpose (fault injection): not a crash. */
  readonly wasKilled?: (child: ChildProcess) => boolean;
  /** Told each time an instance is up again after it died. */
  readonly restarted?: () => void;
}

export interface RunningHostInstances {
  readonly baseUrl: string;
  readonly instanceUrls: readonly string[];
  readonly functions: readonly FunctionSummary[];
  /** An instance that is up (the first), or undefined while none is. */
  runningHost(): ChildProcess | undefined;
  stop(): Promise<void>;
}

/** Resolves with a forked child's ready message; rejects with its reason if it fails or exits. */
export function whenReady<
  Ready extends { type: "ready" } = Extract<HostMessage, { type: "ready" }>,
>(child: ChildProcess, what: string): Promise<Ready> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: Ready | { type: "failed"; message: string }): void => {
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

export function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

export async function startHostInstances(
  options: HostInstancesOptions,
): Promise<RunningHostInstances> {
  const count = options.instances;
  const children = new Array<ChildProcess | undefined>(count);
  const urls = new Array<string>(count).fill("");
  let proxy: RoundRobinProxy | undefined;
  const start = (i: number): ChildProcess => {
    const child = fork(path.join(options.dist, "host", "main.js"), [], {
      cwd: options.cwd,
      env: {
        ...options.env,
        // One instance takes the host port; several take free ones behind the proxy.
        LOCAL_HTTP_PORT: String(count === 1 ? options.port : 0),
        LOCAL_HOST_INSTANCE_ID: count === 1 ? os.hostname() : `${os.hostname()}-${i + 1}`,
      },
      // Its own process group: Ctrl-C reaches only the launcher, which stops the hosts first.
      detached: true,
    });
    children[i] = child;
    return child;
  };
  const ready = await Promise.allSettled(
    Array.from({ length: count }, (_, i) => whenReady(start(i), `Functions host ${i + 1}`)),
  );
  const failed = ready.find((r) => r.status === "rejected");
  if (failed) {
    await Promise.all(children.map(stopChild));
    throw failed.reason;
  }
  const messages = ready.map(
    (r) => (r as PromiseFulfilledResult<{ baseUrl?: string; functions?: FunctionSummary[] }>).value,
  );
  messages.forEach((m, i) => (urls[i] = m.baseUrl ?? ""));
  if (count > 1) {
    proxy = await startRoundRobinProxy({
      port: options.port,
      hostname: options.hostname,
      upstreams: urls,
    });
  }

  const restarts: number[] = [];
  const up = new Array<boolean>(count).fill(true);
  const watch = (i: number, child: ChildProcess): void => {
    child.once("exit", (code, signal) => {
      if (options.isStopping()) return;
      up[i] = false;
      const which = count === 1 ? "The Functions host" : `Functions host ${i + 1}`;
      if (options.wasKilled?.(child)) {
        process.stderr.write(`\n${which} was killed (fault injection); restarting it.\n`);
      } else {
        const now = Date.now();
        restarts.push(now);
        while (restarts.length > 0 && now - (restarts[0] as number) > MAX_RESTARTS_WINDOW_MS)
          restarts.shift();
        if (restarts.length > MAX_RESTARTS) {
          options.gaveUp(
            `${which} exited (code ${String(code)}, signal ${String(signal)}); hosts exited ${restarts.length} times within a minute; stopping.`,
          );
          return;
        }
        process.stderr.write(
          `\n${which} exited unexpectedly (code ${String(code)}, signal ${String(signal)}); restarting it.\n`,
        );
      }
      const next = start(i);
      whenReady(next, `The restarted ${which.toLowerCase()}`).then(
        (message) => {
          urls[i] = message.baseUrl ?? urls[i] ?? "";
          proxy?.setUpstreams(urls);
          up[i] = true;
          options.restarted?.();
          watch(i, next);
        },
        (error: unknown) => options.gaveUp(`${(error as Error).message}; stopping.`),
      );
    });
  };
  children.forEach((child, i) => child && watch(i, child));

  return {
    baseUrl: proxy?.baseUrl ?? urls[0] ?? "",
    instanceUrls: urls,
    functions: messages[0]?.functions ?? [],
    runningHost: () => children.find((child, i) => child !== undefined && up[i]),
    async stop() {
      await proxy?.close();
      await Promise.all(children.map(stopChild));
    },
  };
}
