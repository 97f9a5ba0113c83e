/**
 * Starts the local Functions host for one app: settings, host.json, the app's registrations,
 * the HTTP server, timers, Service Bus triggers and outputs, and the trigger plugins
 * (Durable). Start-up stops with a message naming the problem (missing entry, missing
 * connection setting, bad schedule); functions whose trigger nothing drives are reported.
 */
import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import {
  logLevelOf,
  applyHostJsonOverrides,
  readHostJson,
  routePrefixOf,
  serviceBusOptionsOf,
  type HostJson,
} from "./hostJson";
import { keySettingsFrom } from "./httpKeys";
import { DEFAULT_BODY_LIMIT_BYTES, startHttpServer, type HttpRoute } from "./httpServer";
import type { OutputBindingHandler } from "./invoker";
import { EntryNotFoundError, loadFunctionApp, type LoadedFunctionApp } from "./loadFunctionApp";
import { applyLocalSettings } from "./localSettings";
import { LogWriter, toLogLevel } from "./logger";
import { NativeModule } from "./nativeModule";
import type { HostPlugin, RegisteredFunction } from "./plugin";
import { createHostPlugins } from "./plugins";
import { ServiceBusClients } from "./serviceBusConnection";
import { createServiceBusOutputHandler, validateServiceBusOutputs } from "./serviceBusOutput";
import { serviceBusTargetsOf, startServiceBusTriggers } from "./serviceBusTrigger";
import { SignalRInputPlugin } from "./signalRInput";
import { createSignalROutputHandler, validateSignalROutputs } from "./signalROutput";
import { startTimers, timerSchedulesOf } from "./timerTrigger";

/** The environment the app's code sees: Node's own `process.env`, also under a test runner. */
function appProcessEnv(): NodeJS.ProcessEnv {
  return (NativeModule.createRequire(__filename)("node:process") as NodeJS.Process).env;
}

/** Default port, as `func start`. */
export const DEFAULT_HTTP_PORT = 7071;

export interface StartHostOptions {
  /** App root: host.json, local.settings.json, package.json. `process.cwd()` by default. */
  readonly appDirectory?: string;
  /** Compiled entry; else LOCAL_HOST_ENTRY, else package.json `main`. */
  readonly entry?: string;
  /** HTTP port; else LOCAL_HTTP_PORT, else local.settings.json Host.LocalHttpPort, else 7071. 0 picks a free port. */
  readonly port?: number;
  /** Address to listen on; else LOCAL_HTTP_HOST, else 127.0.0.1. */
  readonly hostname?: string;
  /**
   * App settings; `process.env` by default (local.settings.json Values are applied into it).
   * Given explicitly, its entries are also copied into `process.env`, where the app reads them.
   */
  readonly env?: Record<string, string | undefined>;
  /** Skip reading local.settings.json (the caller supplied every setting). */
  readonly skipLocalSettings?: boolean;
  /** Trigger plugins; `createHostPlugins()` by default. */
  readonly plugins?: readonly HostPlugin[];
  /** Log sink; by default text or JSON lines (LOG_FORMAT) on stdout. */
  readonly log?: LogWriter;
}

export interface FunctionSummary {
  readonly name: string;
  readonly trigger: string;
  /** What drives it: `http`, `timer`, `serviceBus`, a plugin's name, or undefined when nothing does. */
  readonly driver: string | undefined;
  readonly detail: string;
  /** Disabled by its `AzureWebJobs.<name>.Disabled` setting: registered, never triggered. */
  readonly disabled?: boolean;
}

export interface RunningHost {
  readonly baseUrl: string;
  readonly port: number;
  readonly app: LoadedFunctionApp;
  readonly functions: readonly FunctionSummary[];
  /** Functions whose trigger no built-in driver or plugin handles (reported at start-up). */
  readonly undriven: readonly RegisteredFunction[];
  readonly log: LogWriter;
  /** The system key extension webhooks need (LOCAL_HOST_SYSTEM_KEY, else made at start). */
  readonly systemKey: string;
  /** Graceful stop: no new work, in-flight work finishes, appTerminate hooks run. Idempotent. */
  stop(): Promise<void>;
}

const BUILT_IN = new Map<string, string>([
  ["httptrigger", "http"],
  ["timertrigger", "timer"],
  ["servicebustrigger", "serviceBus"],
]);

/** Input bindings the host itself fills (none besides the trigger) and output types it writes. */
const BUILT_IN_OUTPUTS = new Set(["http", "servicebus", "signalr"]);

/** The app setting that disables one function (Azure's `AzureWebJobs.<name>.Disabled`). */
export function disabledSetting(functionName: string): string {
  return `AzureWebJobs.${functionName}.Disabled`;
}

function isDisabled(
  fn: RegisteredFunction,
  settings: Readonly<Record<string, string | undefined>>,
): boolean {
  const value = settings[disabledSetting(fn.name)]?.trim().toLowerCase();
  return value === "true" || value === "1";
}

export function resolveEntry(
  appDirectory: string,
  settings: Readonly<Record<string, string | undefined>>,
  entry?: string,
): string {
  if (entry) return path.resolve(appDirectory, entry);
  if (settings.LOCAL_HOST_ENTRY) return path.resolve(appDirectory, settings.LOCAL_HOST_ENTRY);
  const pkgFile = path.join(appDirectory, "package.json");
  if (!existsSync(pkgFile))
    throw new Error(
      `No package.json in ${appDirectory} to read "main" from; set LOCAL_HOST_ENTRY.`,
    );
  const pkg = JSON.parse(readFileSync(pkgFile, "utf8")) as { main?: string };
  return path.resolve(appDirectory, pkg.main ?? "index.js");
}

function portFrom(value: unknown): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`"${JSON.stringify(value)}" is not a valid port.`);
  return n;
}

function describeFunction(
  fn: RegisteredFunction,
  driver: string | undefined,
  routePrefix: string,
  routes: readonly HttpRoute[],
): string {
  const trigger: Record<string, unknown> = fn.bindings[fn.triggerBindingName] ?? {};
  switch (driver) {
    case "http": {
      const route = routes.find((r) => r.fn === fn);
      const methods = route?.methods ? [...route.methods].join(",") : "ANY";
      return `[${methods}] /${routePrefix ? routePrefix + "/" : ""}${route?.route.template ?? fn.name}`;
    }
    case "timer":
      return `schedule ${String(trigger.schedule)}`;
    case "serviceBus":
      return typeof trigger.queueName === "string"
        ? `queue ${trigger.queueName}`
        : `topic ${String(trigger.topicName)} / subscription ${String(trigger.subscriptionName)}`;
    default:
      return driver ? `driven by the ${driver} plugin` : "no driver: not run";
  }
}

export async function startHost(options: StartHostOptions = {}): Promise<RunningHost> {
  const appDirectory = path.resolve(options.appDirectory ?? process.cwd());
  const env = options.env ?? appProcessEnv();
  if (env !== appProcessEnv()) {
    // The app reads its settings from process.env, as in the worker; in process, the given
    // settings are copied there (under jest, this is the real environment, not jest's copy).
    const target = appProcessEnv();
    for (const [name, value] of Object.entries(env)) if (value !== undefined) target[name] = value;
  }
  const localSettings = options.skipLocalSettings
    ? undefined
    : applyLocalSettings(appDirectory, env);
  const hostJson: HostJson = applyHostJsonOverrides(readHostJson(appDirectory), env);
  const log =
    options.log ??
    new LogWriter({
      format: env.LOG_FORMAT,
      minLevel: toLogLevel(logLevelOf(hostJson)) ?? "information",
    });
  if (localSettings?.created) {
    log.log({
      level: "information",
      category: "system",
      message: `Created ${localSettings.file} from local.settings.sample.json.`,
    });
  }

  const entry = resolveEntry(appDirectory, env, options.entry);
  if (!existsSync(entry)) throw new EntryNotFoundError(entry);
  const routePrefix = routePrefixOf(hostJson);
  const sbOptions = serviceBusOptionsOf(hostJson);
  const keys = keySettingsFrom(env);
  if (keys.enforce && !keys.functionKey && !keys.masterKey) {
    throw new Error(
      "LOCAL_HOST_ENFORCE_KEYS=true needs LOCAL_HOST_FUNCTION_KEY and/or LOCAL_HOST_MASTER_KEY.",
    );
  }
  const bodyLimitBytes = Number(env.FUNCTIONS_REQUEST_BODY_SIZE_LIMIT) || DEFAULT_BODY_LIMIT_BYTES;
  const port =
    options.port ??
    portFrom(env.LOCAL_HTTP_PORT) ??
    portFrom(localSettings?.host.LocalHttpPort) ??
    DEFAULT_HTTP_PORT;
  const hostname = options.hostname ?? env.LOCAL_HTTP_HOST ?? "127.0.0.1";
  const plugins = options.plugins ?? createHostPlugins();

  const clients = new ServiceBusClients();
  const sbOutput = createServiceBusOutputHandler(clients, env);
  const outputHandlers = new Map<string, OutputBindingHandler>([
    ["servicebus", sbOutput.handler],
    ["signalr", createSignalROutputHandler(env)],
  ]);
  const app = await loadFunctionApp(entry, {
    log,
    appDirectory,
    inputProviders: plugins,
    outputHandlers,
  });

  // A function disabled by its app setting is registered but never triggered, as in Azure.
  const enabled = app.functions.filter((fn) => !isDisabled(fn, env));
  // Which driver runs each function; plugins first, so a plugin may take over a built-in type.
  const driverOf = (fn: RegisteredFunction): string | undefined =>
    plugins.find((p) => p.triggerTypes.includes(fn.triggerType))?.name ??
    BUILT_IN.get(fn.triggerType.toLowerCase());
  const undriven = enabled.filter((fn) => driverOf(fn) === undefined);
  const builtIn = (kind: string): RegisteredFunction[] =>
    enabled.filter((fn) => driverOf(fn) === kind);

  // Validate everything that can fail before anything listens, so start-up fails whole.
  timerSchedulesOf(builtIn("timer"), env);
  const sbTargets = serviceBusTargetsOf(builtIn("serviceBus"), env, sbOptions);
  validateServiceBusOutputs(enabled, env);
  validateSignalROutputs(enabled, env);
  if (plugins.some((p) => p instanceof SignalRInputPlugin))
    SignalRInputPlugin.validate(enabled, env);

  for (const fn of undriven) {
    log.log({
      level: "warning",
      category: "system",
      functionName: fn.name,
      message: `Function "${fn.name}" has trigger type "${fn.triggerType}", which this local host does not drive (no built-in trigger or plugin); it will not run.`,
    });
  }
  const inputTypes = new Set(plugins.flatMap((p) => p.inputBindingTypes ?? []));
  for (const fn of enabled) {
    for (const [name, binding] of Object.entries(fn.bindings)) {
      if (name === fn.triggerBindingName) continue;
      const out = binding.direction === "out";
      const known = out
        ? BUILT_IN_OUTPUTS.has(binding.type.toLowerCase())
        : inputTypes.has(binding.type);
      if (!known) {
        log.log({
          level: "warning",
          category: "system",
          functionName: fn.name,
          message: `Function "${fn.name}" has ${out ? "an output" : "an input"} binding of type "${binding.type}" that this local host does not support; it is ${out ? "ignored" : "left empty"}.`,
        });
      }
    }
  }

  await app.runAppStartHooks();
  const startedPlugins: HostPlugin[] = [];
  const httpServer = await startHttpServer({
    port,
    hostname,
    routePrefix,
    functions: builtIn("http"),
    invoker: app.invoker,
    plugins: () => startedPlugins,
    keys,
    bodyLimitBytes,
    log,
    stats: () => ({
      pid: process.pid,
      cpuUsage: process.cpuUsage(),
      invocations: app.invoker.invocations,
      plugins: Object.fromEntries(startedPlugins.map((p) => [p.name, p.stats?.() ?? {}])),
    }),
  }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      throw new Error(
        `Port ${port} is already in use: stop what uses it, or set LOCAL_HTTP_PORT to another port.`,
      );
    }
    throw error;
  });

  let timers: ReturnType<typeof startTimers> | undefined;
  let serviceBus: ReturnType<typeof startServiceBusTriggers> | undefined;
  const stopAll = async (): Promise<void> => {
    await Promise.all([
      httpServer.close(),
      timers?.stop(),
      serviceBus?.stop(),
      ...startedPlugins.map((p) =>
        p
          .stop()
          .catch((error: unknown) => log.hostLogger(p.name).error(`stop failed: ${String(error)}`)),
      ),
    ]);
    await app
      .runAppTerminateHooks()
      .catch((error: unknown) =>
        log.hostLogger().error(`appTerminate hook failed: ${String(error)}`),
      );
    await sbOutput.close();
    await clients.closeAll();
  };
  try {
    for (const plugin of plugins) {
      await plugin.start({
        functions: enabled.filter((fn) => plugin.triggerTypes.includes(fn.triggerType)),
        invoker: app.invoker,
        settings: env,
        hostJson,
        baseUrl: httpServer.baseUrl,
        systemKey: keys.systemKey,
        logger: log.hostLogger(plugin.name),
      });
      startedPlugins.push(plugin);
    }
    timers = startTimers({ functions: builtIn("timer"), invoker: app.invoker, settings: env, log });
    serviceBus = startServiceBusTriggers({
      targets: sbTargets,
      clients,
      invoker: app.invoker,
      options: sbOptions,
      log,
    });
  } catch (error) {
    await stopAll();
    throw error;
  }

  const functions = app.functions.map((fn) => {
    if (isDisabled(fn, env)) {
      return {
        name: fn.name,
        trigger: fn.triggerType,
        driver: undefined,
        detail: `disabled by ${disabledSetting(fn.name)}`,
        disabled: true,
      };
    }
    const driver = driverOf(fn);
    return {
      name: fn.name,
      trigger: fn.triggerType,
      driver,
      detail: describeFunction(fn, driver, routePrefix, httpServer.routes),
    };
  });
  let stopping: Promise<void> | undefined;
  return {
    baseUrl: httpServer.baseUrl,
    port: httpServer.port,
    app,
    functions,
    undriven,
    log,
    systemKey: keys.systemKey,
    stop(): Promise<void> {
      stopping ??= stopAll();
      return stopping;
    },
  };
}
