/**
 * Test helper: runs the compiled local Functions host (this package's `dist/host/main.js`) as a
 * child process on a free port, the way `npm run host` runs it, so a test can drive an app
 * over HTTP and Service Bus and can kill the host like Azure loses an instance.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { LineCollector, type LinePredicate } from "./lineCollector";
import { runtimeDist } from "./runtimePaths";

export interface StartHostProcessOptions {
  /** Compiled app entry (absolute, or relative to `cwd`); package.json `main` of `cwd` when omitted. */
  readonly entry?: string;
  /** App directory: host.json and local.settings.json are read from here. The current directory by default. */
  readonly cwd?: string;
  /** Settings for the host, over the test process's environment; `undefined` removes one. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** HTTP port; 0 (a free port) by default. */
  readonly port?: number;
  /** How long to wait for the host to report ready; 30 s by default. */
  readonly readyTimeoutMs?: number;
  /** Echo the host's output to this process's stdout (debugging). */
  readonly echo?: boolean;
  /** Options for node itself, before the host's entry (`--cpu-prof` for a profile). */
  readonly nodeArgs?: readonly string[];
}

export interface HostExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface HostProcess {
  /** e.g. `http://127.0.0.1:41234`. */
  readonly baseUrl: string;
  readonly port: number;
  /** LOCAL_HOST_SYSTEM_KEY: what the Durable webhooks ask (`x-functions-key` or `?code=`). */
  readonly systemKey: string;
  readonly child: ChildProcess;
  /** Every stdout and stderr line so far. */
  readonly lines: readonly string[];
  /** Resolves when the process has exited. */
  readonly exited: Promise<HostExit>;
  /** Resolves with the first line matching `predicate` (seen already or to come). */
  waitForLog(predicate: LinePredicate, timeoutMs?: number): Promise<string>;
  /** Sends `signal` (SIGKILL by default: a crash) and resolves when the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<HostExit>;
  /** Graceful stop (SIGTERM), resolves when the process is gone. */
  stop(): Promise<HostExit>;
}

/** The host exited (or never said it was ready); `output` holds what it printed. */
export class HostStartError extends Error {
  constructor(
    message: string,
    readonly exit: HostExit | undefined,
    readonly output: string,
  ) {
    super(`${message}\n${output}`);
    this.name = "HostStartError";
  }
}

const READY = /Host listening on (http:\/\/[^\s"]+)/;

/** Path of the compiled host entry; `npm run build` makes it. */
export function hostMainPath(): string {
  return runtimeDist("host", "main.js");
}

/**
 * Starts the host and resolves once it listens. Rejects with {@link HostStartError} when it
 * exits first (a start-up error) or is not ready in time (then it is killed).
 */
export async function startHostProcess(
  options: StartHostProcessOptions = {},
): Promise<HostProcess> {
  const main = hostMainPath();
  if (!existsSync(main)) throw new Error(`${main} does not exist: run npm run build first.`);
  const cwd = options.cwd ?? process.cwd();
  const env: Record<string, string | undefined> = { ...process.env };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  // The host makes a random system key when none is set; one chosen here is known to the test.
  env.LOCAL_HOST_SYSTEM_KEY ||= randomBytes(24).toString("base64url");
  const systemKey = env.LOCAL_HOST_SYSTEM_KEY;
  const args = [...(options.nodeArgs ?? []), main, "--port", String(options.port ?? 0)];
  if (options.entry) args.push("--entry", path.resolve(cwd, options.entry));
  const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  const output = new LineCollector(options.echo);
  output.attach(child.stdout);
  output.attach(child.stderr);
  const exited = new Promise<HostExit>((resolve) => {
    // "close" comes after the output streams ended, so every line is collected by then.
    child.once("close", (code, signal) => resolve({ code, signal }));
  });

  let line: string;
  try {
    line = await output.waitFor(READY, options.readyTimeoutMs ?? 30_000, exited);
  } catch (error) {
    const running = child.exitCode === null && child.signalCode === null;
    if (running) child.kill("SIGKILL");
    const exit = await exited;
    throw new HostStartError(
      running
        ? (error as Error).message
        : `The host exited (code ${String(exit.code)}) before it was ready.`,
      running ? undefined : exit,
      output.lines.join("\n"),
    );
  }
  const baseUrl = READY.exec(line)![1]!;
  const kill = async (signal: NodeJS.Signals = "SIGKILL"): Promise<HostExit> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return {
    baseUrl,
    port: Number(new URL(baseUrl).port),
    systemKey,
    child,
    lines: output.lines,
    exited,
    waitForLog: (predicate, timeoutMs) => output.waitFor(predicate, timeoutMs, exited),
    kill,
    stop: () => kill("SIGTERM"),
  };
}

/** Starts the host expecting it to fail; resolves with its exit and output (rejects if it started). */
export async function expectHostStartFailure(
  options: StartHostProcessOptions = {},
): Promise<{ exit: HostExit | undefined; output: string }> {
  let host: HostProcess;
  try {
    host = await startHostProcess(options);
  } catch (error) {
    if (error instanceof HostStartError) return { exit: error.exit, output: error.output };
    throw error;
  }
  await host.kill();
  throw new Error("The host started, but a start-up failure was expected.");
}
