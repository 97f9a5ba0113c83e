/**
 * `npm run bench:host`: requests/s and p50/p99 latency of a trivial HTTP function through the
 * local host, beside a bare node:http server doing the same work, and the ratio of the two from
 * the same run; then messages/s through a trivial Service Bus trigger. Each server runs in a
 * child process; autocannon runs here. Figures depend on the machine: compare ratios.
 */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import autocannon from "autocannon";
import { ServiceBusClient } from "@azure/service-bus";
import type { EmulatorConfig } from "../../servicebus";
import { currentProgrammingModel } from "../functionsCore";
import { loadFunctionApp } from "../loadFunctionApp";
import { LogWriter } from "../logger";
import { startServiceBusEmulator } from "../../servicebus";

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 2000);

interface Ready {
  type: "ready";
  port?: number;
  baseUrl?: string;
}

function start(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = fork(script, args, { env, stdio: ["ignore", "ignore", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("message", (message: Ready) => resolve({ child, ready: message }));
    child.once("exit", (code) =>
      reject(new Error(`${script} exited (code ${String(code)}) before it was ready`)),
    );
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

async function load(url: string): Promise<autocannon.Result> {
  // Warm-up, so JIT and connection set-up do not count.
  await autocannon({ url, connections: CONNECTIONS, duration: 1 });
  return autocannon({ url, connections: CONNECTIONS, duration: DURATION_S });
}

function line(name: string, result: autocannon.Result): string {
  return `${name.padEnd(22)} ${result.requests.average.toFixed(0).padStart(8)} req/s   p50 ${String(result.latency.p50).padStart(3)} ms   p99 ${String(result.latency.p99).padStart(3)} ms   errors ${result.errors + result.non2xx}`;
}

const topology = {
  UserConfig: {
    Namespaces: [
      {
        Name: "sbemulatorns",
        Queues: [
          {
            Name: "bench",
            Properties: {
              LockDuration: "PT1M",
              MaxDeliveryCount: 10,
              RequiresDuplicateDetection: false,
              RequiresSession: false,
            },
          },
        ],
        Topics: [],
      },
    ],
    Logging: { Type: "File" },
  },
} as unknown as EmulatorConfig;

/**
 * Where an HTTP invocation's time goes: the `@azure/functions` programming model alone
 * (HttpRequest/HttpResponse, InvocationContext) against the same call through the host's
 * invoker (hooks, plugin inputs, outputs, the invocation log line), in this process.
 */
async function invocationCost(entry: string): Promise<void> {
  const app = await loadFunctionApp(entry, { log: new LogWriter({ write: () => undefined }) });
  const fn = app.functions.find((f) => f.name === "ping")!;
  const callback = app.registry.functions.get("ping")!.callback;
  const model = currentProgrammingModel()!;
  const http = () => ({
    http: {
      method: "GET",
      url: "http://127.0.0.1/api/ping",
      headers: { host: "127.0.0.1" },
      params: {},
    },
  });
  const direct = async (): Promise<unknown> => {
    const invocation = model.getInvocationModel({
      invocationId: "bench",
      request: {
        invocationId: "bench",
        functionId: "ping",
        inputData: [{ name: fn.triggerBindingName, data: http() }],
        triggerMetadata: {},
      },
      metadata: { name: "ping", functionId: "ping", bindings: { ...fn.bindings } },
      log: () => undefined,
    });
    const { context, inputs } = await invocation.getArguments();
    return invocation.getResponse(
      context,
      await invocation.invokeFunction(context, inputs, callback),
    );
  };
  const viaInvoker = (): Promise<unknown> =>
    app.invoker.invoke(fn, { inputData: [{ name: fn.triggerBindingName, data: http() }] });
  const time = async (run: () => Promise<unknown>): Promise<number> => {
    for (let i = 0; i < 2000; i++) await run();
    const n = 10_000;
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await run();
    return Number(process.hrtime.bigint() - started) / 1000 / n;
  };
  const a = await time(direct);
  const b = await time(viaInvoker);
  console.log(
    `per invocation, in process: programming model alone ${a.toFixed(0)} µs, through the host invoker ${b.toFixed(0)} µs`,
  );
}

async function main(): Promise<void> {
  const hostMain = path.join(__dirname, "..", "main.js");
  const benchEntry = path.join(__dirname, "benchApp.js");
  const appDir = path.join(
    __dirname,
    "..",
    "..",
    "..",
    "..",
    "..",
    "infra",
    "local",
    "host",
    "bench",
  );
  console.log(`HTTP: ${CONNECTIONS} connections, ${DURATION_S} s per server (after a 1 s warm-up)`);

  const bare = await start(path.join(__dirname, "bareServer.js"), [], process.env);
  const bareResult = await load(`http://127.0.0.1:${bare.ready.port}/api/ping`);
  await stop(bare.child);

  const host = await start(hostMain, ["--entry", benchEntry, "--port", "0", "--app-dir", appDir], {
    ...process.env,
  });
  const hostResult = await load(`${host.ready.baseUrl}/api/ping`);
  await stop(host.child);

  console.log(line("bare node:http", bareResult));
  console.log(line("local Functions host", hostResult));
  console.log(
    `ratio host/bare          ${(hostResult.requests.average / bareResult.requests.average).toFixed(2)}`,
  );
  await invocationCost(benchEntry);

  const emulator = await startServiceBusEmulator({ port: 0, config: topology });
  const client = new ServiceBusClient(emulator.connectionString);
  try {
    const sender = client.createSender("bench");
    for (let sent = 0; sent < MESSAGES; sent += 100) {
      await sender.sendMessages(
        Array.from({ length: Math.min(100, MESSAGES - sent) }, (_, i) => ({
          body: { n: sent + i },
        })),
      );
    }
    await sender.close();
    const sbHost = await start(
      hostMain,
      ["--entry", benchEntry, "--port", "0", "--app-dir", appDir],
      {
        ...process.env,
        BENCH_SERVICEBUS: "true",
        BenchServiceBus: emulator.connectionString,
      },
    );
    const started = Date.now();
    for (;;) {
      const { drained } = (await (await fetch(`${sbHost.ready.baseUrl}/api/drained`)).json()) as {
        drained: number;
      };
      if (drained >= MESSAGES) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const seconds = (Date.now() - started) / 1000;
    await stop(sbHost.child);
    console.log(
      `Service Bus trigger: ${MESSAGES} messages (queued first) in ${seconds.toFixed(2)} s = ${(MESSAGES / seconds).toFixed(0)} msg/s (host.json defaults: maxConcurrentCalls 16)`,
    );
  } finally {
    await client.close();
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
