/**
 * The local Functions host: loads an app's registrations through the `@azure/functions-core`
 * module it provides, and runs the functions through the `@azure/functions` programming model.
 */
export { installFunctionsCore, functionsCoreModule, FunctionAppRegistry } from "./functionsCore";
export { loadFunctionApp, toRegisteredFunction, EntryNotFoundError } from "./loadFunctionApp";
export type { LoadedFunctionApp, LoadFunctionAppOptions } from "./loadFunctionApp";
export { createInvoker, InvocationFailedError } from "./invoker";
export type { LocalFunctionInvoker, OutputBindingHandler, InvokerOptions } from "./invoker";
export { LogWriter } from "./logger";
export type { LogEntry, LogLevel, LogWriterOptions } from "./logger";
export { startHost, resolveEntry, DEFAULT_HTTP_PORT } from "./startHost";
export type { StartHostOptions, RunningHost, FunctionSummary } from "./startHost";
export { applyLocalSettings, readLocalSettings } from "./localSettings";
export { readHostJson, serviceBusOptionsOf, routePrefixOf } from "./hostJson";
export { resolveServiceBusConnection, MissingConnectionSettingError } from "./serviceBusConnection";
export type * from "./plugin";
