/**
 * The stack a chaos run works against: `npm start` itself (the launcher, with `--faults`),
 * with npm start's default settings (local.settings.sample.json, the project topology and
 * host.json), in a directory of its own so that it shares nothing with a running `npm start`:
 * its own `.local/` (Azurite data, Cosmos certificate, email outbox) and free ports. Every
 * line the stack prints goes to `logFile`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import {
  copyFileSync,
  createWriteStream,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { LineCollector, freePort, freeStandInPorts } from "@order-processing/local-runtime/testing";
import { REPO_ROOT } from "../repoRoot";

export interface ChaosStack {
  /** The Functions host, e.g. `http://127.0.0.1:41234` (the same after every restart). */
  readonly hostUrl: string;
  readonly faultsUrl: string;
  readonly cosmosEndpoint: string;
  /** PEM of the Cosmos stand-in's certificate. */
  readonly cosmosCa: Buffer;
  readonly serviceBusConnection: string;
  /** npm start's settings as the stack runs them (local.settings.sample.json Values + overrides). */
  readonly settings: Readonly<Record<string, string>>;
  /** Where the local email adapter writes each email (`<orderId>_<template>.eml`). */
  readonly outboxDir: string;
  stop(): Promise<void>;
}

const LAUNCHER = path.join(REPO_ROOT, "infra", "local", "dist", "launcher", "main.js");
const READY = /Press Ctrl-C to stop\./;

function readyValue(lines: readonly string[], pattern: RegExp, what: string): string {
  for (const line of lines) {
    const m = pattern.exec(line);
    if (m?.[1]) return m[1];
  }
  throw new Error(`The ready block names no ${what}.`);
}

function stopChild(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

export async function startChaosStack(options: {
  readonly settings: Readonly<Record<string, string>>;
  readonly logFile: string;
}): Promise<ChaosStack> {
  const appDir = mkdtempSync(path.join(tmpdir(), "chaos-app-"));
  copyFileSync(path.join(REPO_ROOT, "host.json"), path.join(appDir, "host.json"));
  copyFileSync(
    path.join(REPO_ROOT, "local.settings.sample.json"),
    path.join(appDir, "local.settings.json"),
  );
  const main = (
    JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
      main: string;
    }
  ).main;
  writeFileSync(
    path.join(appDir, "package.json"),
    JSON.stringify({ name: "chaos-app", main: path.join(REPO_ROOT, main) }),
  );
  const hostPort = await freePort();
  const env: Record<string, string | undefined> = {
    ...process.env,
    ...options.settings,
    SERVICEBUS_CONFIG_PATH: path.join(REPO_ROOT, "infra", "servicebus", "config.json"),
    LOCAL_HTTP_PORT: String(hostPort),
    ...freeStandInPorts(),
    FAULTS_PORT: "0",
  };
  const child = spawn(process.execPath, [LAUNCHER, "--faults"], {
    cwd: appDir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log = createWriteStream(options.logFile);
  const output = new LineCollector();
  output.attach(child.stdout);
  output.attach(child.stderr);
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
  const cleanUp = async (): Promise<void> => {
    await stopChild(child, 60_000);
    await new Promise<void>((resolve) => log.end(resolve));
    rmSync(appDir, { recursive: true, force: true });
  };
  try {
    await output.waitFor(READY, 180_000, exited);
    const lines = output.lines;
    const cosmosPort = readyValue(
      lines,
      /^ {2}Cosmos +https:\/\/127\.0\.0\.1:(\d+)\//,
      "Cosmos port",
    );
    const serviceBusPort = readyValue(
      lines,
      /^ {2}Service Bus +sb:\/\/localhost:(\d+)/,
      "Service Bus port",
    );
    const sample = JSON.parse(readFileSync(path.join(appDir, "local.settings.json"), "utf8")) as {
      Values: Record<string, string>;
    };
    return {
      hostUrl: readyValue(lines, /^Functions host: (http:\/\/\S+)/, "Functions host"),
      faultsUrl: readyValue(lines, /^ {2}Faults +(http:\/\/\S+)/, "fault control API"),
      cosmosEndpoint: `https://127.0.0.1:${cosmosPort}/`,
      cosmosCa: readFileSync(path.join(appDir, ".local", "cosmos", "cert.pem")),
      serviceBusConnection: `Endpoint=sb://localhost:${serviceBusPort};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;`,
      settings: { ...sample.Values, ...options.settings },
      outboxDir: path.resolve(
        appDir,
        options.settings?.EMAIL_OUTBOX_DIR ?? sample.Values.EMAIL_OUTBOX_DIR ?? ".local/outbox",
      ),
      stop: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw new Error(
      `npm start did not come up: ${(error as Error).message}\n${output.lines.slice(-30).join("\n")}`,
      { cause: error },
    );
  }
}
