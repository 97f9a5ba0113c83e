/**
 * The `@azure/functions-core` module as the Azure Functions Node.js worker provides it.
 * `@azure/functions` calls `require("@azure/functions-core")` lazily on the first `app.*`
 * call; when it resolves, the library sets its programming model once and registers every
 * function and hook through it. Serving this module is how the host learns the app's
 * functions from the code itself, with no second list.
 *
 * The module object is one per process: the library caches it and sets its programming
 * model only once, so a later app loaded into the same process must see the same object.
 * It forwards registrations to whichever {@link FunctionAppRegistry} is active.
 */
import { NativeModule } from "./nativeModule";
import type { CoreFunctionMetadata, CoreProgrammingModel, FunctionCallback } from "./coreTypes";
import type { LogLevel } from "./logger";

export const FUNCTIONS_CORE_MODULE_ID = "@azure/functions-core";

export type HookName = "appStart" | "appTerminate" | "preInvocation" | "postInvocation" | "log";
export type HookCallback = (context: Record<string, unknown>) => unknown;

/** `Disposable` as the worker exports it; hook registrations return one. */
export class Disposable {
  #callOnDispose: (() => unknown) | undefined;

  static from(...likes: Array<{ dispose(): unknown }>): Disposable {
    return new Disposable(() => likes.forEach((like) => like.dispose()));
  }

  constructor(callOnDispose: () => unknown) {
    this.#callOnDispose = callOnDispose;
  }

  dispose(): unknown {
    const call = this.#callOnDispose;
    this.#callOnDispose = undefined;
    return call?.();
  }
}

/** A registered function as the library handed it over. */
export interface FunctionRegistration {
  readonly metadata: CoreFunctionMetadata;
  readonly callback: FunctionCallback;
}

/** Collects what one app registers while its entry is loaded. */
export class FunctionAppRegistry {
  readonly functions = new Map<string, FunctionRegistration>();
  readonly hooks = new Map<string, HookCallback[]>();
  #locked = false;

  constructor(
    /** System log lines from the library (`coreApi.log`), outside any invocation. */
    readonly systemLog: (level: LogLevel, category: string, message: string) => void,
  ) {}

  registerFunction(metadata: CoreFunctionMetadata, callback: FunctionCallback): Disposable {
    if (this.#locked) {
      // The worker only indexes functions during start-up; a later registration is an app bug.
      throw new Error(
        `Function "${metadata.name}" was registered after the app finished loading; register every function at the top level of the entry.`,
      );
    }
    if (this.functions.has(metadata.name)) {
      throw new Error(`A function named "${metadata.name}" is already registered.`);
    }
    this.functions.set(metadata.name, { metadata, callback });
    return new Disposable(() => this.functions.delete(metadata.name));
  }

  registerHook(hookName: string, callback: HookCallback): Disposable {
    const list = this.hooks.get(hookName) ?? [];
    list.push(callback);
    this.hooks.set(hookName, list);
    return new Disposable(() => {
      const at = list.indexOf(callback);
      if (at >= 0) list.splice(at, 1);
    });
  }

  hooksOf(hookName: HookName): readonly HookCallback[] {
    return [...(this.hooks.get(hookName) ?? [])];
  }

  /** Called once the entry has loaded: the app's function list is final from here on. */
  lock(): void {
    this.#locked = true;
  }
}

interface CoreModuleState {
  registry: FunctionAppRegistry | undefined;
  programmingModel: CoreProgrammingModel | undefined;
}

/**
 * Process-wide, not per module instance: `@azure/functions` lives in Node's own module cache
 * and keeps the first `@azure/functions-core` object it was given, while jest loads this
 * file afresh, in a fresh global, per test file. With per-instance state, a second in-process
 * host in the same worker registered into the first one's (locked) registry. Node's real
 * `Module` class is the one object every instance shares, so the state hangs off it.
 */
const STATE_KEY = Symbol.for("order-processing.local-host.functions-core");
const state = ((NativeModule as unknown as Record<symbol, unknown>)[STATE_KEY] ??= {
  registry: undefined,
  programmingModel: undefined,
}) as CoreModuleState;

function activeRegistry(): FunctionAppRegistry {
  if (!state.registry) {
    throw new Error("@azure/functions-core was used outside of an app load by the local host.");
  }
  return state.registry;
}

/** The module object served for `require("@azure/functions-core")`. */
export const functionsCoreModule = {
  version: "4.0.0-local",
  hostVersion: "4.1000.0-local",
  Disposable,
  registerFunction(metadata: CoreFunctionMetadata, callback: FunctionCallback): Disposable {
    return activeRegistry().registerFunction(metadata, callback);
  },
  registerHook(hookName: string, callback: HookCallback): Disposable {
    return activeRegistry().registerHook(hookName, callback);
  },
  setProgrammingModel(programmingModel: CoreProgrammingModel): void {
    state.programmingModel = programmingModel;
  },
  getProgrammingModel(): CoreProgrammingModel | undefined {
    return state.programmingModel;
  },
  log(level: LogLevel, category: string, message: string): void {
    if (state.registry) state.registry.systemLog(level, category, message);
    else console.log(`[${level}] ${message}`);
  },
};

/** The programming model the app's library set, if any. */
export function currentProgrammingModel(): CoreProgrammingModel | undefined {
  return state.programmingModel;
}

/** Makes `registry` the target of the module's registrations (one app load at a time). */
export function activateRegistry(registry: FunctionAppRegistry | undefined): void {
  state.registry = registry;
}

let installed = false;

/**
 * Makes `require("@azure/functions-core")` resolve to {@link functionsCoreModule} in this
 * process: a `Module._resolveFilename` hook maps the bare name to itself, and a
 * `require.cache` entry under that id holds the loaded module. Must run before the app's
 * first `app.*` call, because the library remembers a failed resolution ("test mode").
 */
export function installFunctionsCore(): void {
  if (installed) return;
  installed = true;
  const original = NativeModule._resolveFilename.bind(NativeModule);
  NativeModule._resolveFilename = (request: string, parent: unknown, ...rest: unknown[]): string =>
    request === FUNCTIONS_CORE_MODULE_ID
      ? FUNCTIONS_CORE_MODULE_ID
      : original(request, parent, ...rest);
  const mod = new NativeModule(FUNCTIONS_CORE_MODULE_ID);
  mod.filename = FUNCTIONS_CORE_MODULE_ID;
  mod.loaded = true;
  mod.exports = functionsCoreModule;
  NativeModule._cache[FUNCTIONS_CORE_MODULE_ID] = mod;
}
