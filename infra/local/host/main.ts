/**
 * `node infra/local/dist/host/main.js [--entry file] [--port n] [--hostname h] [--app-dir dir]`:
 * the local Functions host as a process (`npm run host`, the launcher, test helpers).
 * Prints `Host listening on <url>` once ready (and sends `{ type: "ready" }` over IPC when
 * started with an IPC channel); SIGINT/SIGTERM stop it gracefully; exit code 1 on a start-up
 * error, with the reason on stderr.
 */
import { startHost, type RunningHost } from "./startHost";

export interface HostArgs {
  entry?: string;
  port?: number;
  hostname?: string;
  appDirectory?: string;
}

export function parseHostArgs(argv: readonly string[]): HostArgs {
  const args: HostArgs = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const take = (): string => {
      if (value === undefined) throw new Error(`${flag} needs a value.`);
      i++;
      return value;
    };
    switch (flag) {
      case "--entry":
        args.entry = take();
        break;
      case "--port":
        args.port = Number(take());
        break;
      case "--hostname":
        args.hostname = take();
        break;
      case "--app-dir":
        args.appDirectory = take();
        break;
      default:
        throw new Error(
          `Unknown argument "${flag}". Usage: main.js [--entry file] [--port n] [--hostname h] [--app-dir dir]`,
        );
    }
  }
  return args;
}

async function main(): Promise<void> {
  let host: RunningHost;
  try {
    host = await startHost(parseHostArgs(process.argv.slice(2)));
  } catch (error) {
    process.stderr.write(
      `Local Functions host failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    // Exit now: an IPC channel or the app's own handles would otherwise keep the process alive.
    process.exit(1);
  }
  const lines = host.functions.map(
    (f) => `  ${f.name}: ${f.driver || f.disabled ? "" : "(NOT DRIVEN) "}${f.trigger} ${f.detail}`,
  );
  // Under the launcher (IPC), the launcher's ready block lists the functions instead.
  if (!process.send) {
    host.log.log({
      level: "information",
      category: "system",
      message: `Functions:\n${lines.join("\n")}`,
    });
    host.log.log({
      level: "information",
      category: "system",
      message: `Extension webhooks (/runtime/webhooks/…) need the system key (LOCAL_HOST_SYSTEM_KEY) in x-functions-key or ?code=: ${host.systemKey}`,
    });
  }
  host.log.log({
    level: "information",
    category: "system",
    message: `Host listening on ${host.baseUrl}`,
    fields: host.log.isJson ? { event: "ready", baseUrl: host.baseUrl } : undefined,
  });
  process.send?.({
    type: "ready",
    baseUrl: host.baseUrl,
    port: host.port,
    functions: host.functions,
  });

  let signals = 0;
  const shutdown = (signal: string): void => {
    signals++;
    if (signals > 1) {
      process.stderr.write(`Second ${signal}: exiting without waiting for in-flight work.\n`);
      process.exit(1);
    }
    host.log.log({
      level: "information",
      category: "system",
      message: `${signal} received: stopping (in-flight work finishes first).`,
    });
    host.stop().then(
      () => {
        host.log.log({ level: "information", category: "system", message: "Host stopped." });
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`Host stop failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  // Started by a launcher with IPC: when it goes away, do not outlive it.
  process.on("disconnect", () => shutdown("disconnect"));
}

if (require.main === module) void main();
