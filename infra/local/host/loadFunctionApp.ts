/**
 * Loads a function app's entry the way the Node.js worker does: with `@azure/functions-core`
 * resolvable, so every `app.*` call in the app registers through it. The result is the app's
 * function list and an invoker that runs any of them through the app's programming model.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import {
  activateRegistry,
  currentProgrammingModel,
  FunctionAppRegistry,
  installFunctionsCore,
} from "./functionsCore";
import { createInvoker, type InvokerOptions, type LocalFunctionInvoker } from "./invoker";
import { LogWriter } from "./logger";
import { NativeModule } from "./nativeModule";
import type { BindingInfoLike, RegisteredFunction } from "./plugin";

/** The app's entry file does not exist (usually: not built yet, or `main` points elsewhere). */
export class EntryNotFoundError extends Error {
  readonly code = "EntryNotFound";
  constructor(readonly entryPath: string) {
    super(
      `The function app entry "${entryPath}" does not exist. Build the app (npm run build) or point package.json "main" (or LOCAL_HOST_ENTRY) at the compiled entry.`,
    );
    this.name = "EntryNotFoundError";
  }
}

export interface LoadFunctionAppOptions extends Omit<InvokerOptions, "log"> {
  /** Log sink; a text writer to stdout by default. */
  readonly log?: LogWriter;
  /** Directory reported to appStart hooks; the entry's package root by default. */
  readonly appDirectory?: string;
}

export interface LoadedFunctionApp {
  readonly entryPath: string;
  readonly appDirectory: string;
  readonly functions: readonly RegisteredFunction[];
  readonly invoker: LocalFunctionInvoker;
  readonly registry: FunctionAppRegistry;
  /** Runs the app's `appStart` hooks (once, before the first invocation). */
  runAppStartHooks(): Promise<void>;
  /** Runs the app's `appTerminate` hooks (once, at shutdown). */
  runAppTerminateHooks(): Promise<void>;
}

const TRIGGER_TYPE = /trigger$/i;

/** The function list entry for one registration: its trigger binding found by type. */
export function toRegisteredFunction(
  name: string,
  bindings: Record<string, BindingInfoLike>,
  retryOptions?: unknown,
): RegisteredFunction {
  const trigger = Object.entries(bindings).find(
    ([, b]) => TRIGGER_TYPE.test(b.type) && b.direction !== "out",
  );
  if (!trigger) throw new Error(`Function "${name}" has no trigger binding.`);
  return {
    name,
    bindings,
    triggerBindingName: trigger[0],
    triggerType: trigger[1].type,
    ...(retryOptions !== undefined ? { retryOptions } : {}),
  };
}

/** App modules loaded by an earlier load in this process; dropped so a reload re-registers. */
const previouslyLoaded = new Set<string>();

/**
 * Loads the app entry (compiled JavaScript) and captures its registrations.
 *
 * The entry is loaded with Node's own `require` (not a test runner's), so it works the same
 * from the host process and from a jest test. One app is active per process; loading again
 * re-runs the app's own modules so their registrations are captured afresh.
 */
export async function loadFunctionApp(
  entryPath: string,
  options: LoadFunctionAppOptions = {},
): Promise<LoadedFunctionApp> {
  const absolute = path.resolve(entryPath);
  if (!existsSync(absolute)) throw new EntryNotFoundError(absolute);
  const log = options.log ?? new LogWriter();
  const appDirectory = options.appDirectory ?? path.dirname(absolute);

  installFunctionsCore();
  const registry = new FunctionAppRegistry((level, category, message) =>
    log.log({ level, category, message }),
  );
  const cache = NativeModule._cache;
  for (const id of previouslyLoaded) delete cache[id];
  const before = new Set(Object.keys(cache));
  activateRegistry(registry);
  try {
    const nodeRequire = NativeModule.createRequire(absolute);
    const exported: unknown = nodeRequire(absolute);
    // An ES module entry compiled to CommonJS may export a promise-returning default; the
    // worker awaits a thenable export before indexing, so do the same.
    if (exported && typeof (exported as { then?: unknown }).then === "function") {
      await (exported as Promise<unknown>);
    }
  } finally {
    for (const id of Object.keys(cache)) {
      if (!before.has(id) && !id.includes(`${path.sep}node_modules${path.sep}`)) {
        previouslyLoaded.add(id);
      }
    }
    registry.lock();
  }

  const programmingModel = currentProgrammingModel();
  const functions = [...registry.functions.values()].map((r) =>
    toRegisteredFunction(r.metadata.name, r.metadata.bindings, r.metadata.retryOptions),
  );
  if (functions.length > 0 && !programmingModel) {
    throw new Error("The app registered functions but never set a programming model.");
  }
  const invoker = createInvoker(registry, { ...options, log });

  let started = false;
  let terminated = false;
  return {
    entryPath: absolute,
    appDirectory,
    functions,
    invoker,
    registry,
    async runAppStartHooks(): Promise<void> {
      if (started) return;
      started = true;
      const context = {
        hookData: invoker.appHookData,
        appHookData: invoker.appHookData,
        functionAppDirectory: appDirectory,
      };
      for (const hook of registry.hooksOf("appStart")) await hook(context);
    },
    async runAppTerminateHooks(): Promise<void> {
      if (terminated) return;
      terminated = true;
      const context = { hookData: invoker.appHookData, appHookData: invoker.appHookData };
      for (const hook of registry.hooksOf("appTerminate")) await hook(context);
    },
  };
}
