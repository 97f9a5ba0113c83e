/**
 * The seam between the local Functions host and the trigger families it does not drive
 * itself (Durable Functions first). A plugin is told which registered functions carry one of
 * its trigger types, gets an invoker that runs them through the `@azure/functions`
 * programming model exactly as HTTP and Service Bus triggers are run, may supply the data
 * of input bindings (the `durableClient` binding), and may answer HTTP requests outside the
 * `/api` route prefix (the Durable management API under `/runtime/webhooks/durabletask`).
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** RPC typed data as the Functions worker protocol carries it (FunctionRpc.proto `TypedData`). */
export interface RpcTypedDataLike {
  string?: string | null;
  json?: string | null;
  bytes?: Uint8Array | null;
  int?: number | null;
  double?: number | null;
  http?: unknown;
  [other: string]: unknown;
}

/** One binding of a registered function, as `@azure/functions` reports it in the metadata. */
export interface BindingInfoLike {
  type: string;
  direction: "in" | "out" | "inout" | number;
  [property: string]: unknown;
}

/** A function captured from the app's `registerFunction` calls. */
export interface RegisteredFunction {
  readonly name: string;
  readonly bindings: Readonly<Record<string, BindingInfoLike>>;
  readonly triggerBindingName: string;
  readonly triggerType: string;
  readonly retryOptions?: unknown;
}

export interface InvocationRequest {
  /** Input data by binding name; the trigger's binding name must be present. */
  inputData: Array<{ name: string; data: RpcTypedDataLike }>;
  triggerMetadata?: Record<string, RpcTypedDataLike>;
  /** W3C trace context of the invocation (`context.traceContext`); a new one when absent. */
  traceContext?: { traceParent?: string; traceState?: string; attributes?: Record<string, string> };
}

export interface InvocationResult {
  returnValue?: RpcTypedDataLike | null;
  outputData: Array<{ name: string; data: RpcTypedDataLike }>;
}

export interface FunctionInvoker {
  /** Runs one invocation through the programming model, with hooks and the invocation log line. Rejects when the handler throws. */
  invoke(fn: RegisteredFunction, request: InvocationRequest): Promise<InvocationResult>;
}

export interface HostLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface HostPluginContext {
  /** The registered functions whose trigger type is one of the plugin's `triggerTypes`. */
  readonly functions: readonly RegisteredFunction[];
  readonly invoker: FunctionInvoker;
  /** App settings (process environment after `local.settings.json` was applied). */
  readonly settings: Readonly<Record<string, string | undefined>>;
  /** Parsed `host.json`. */
  readonly hostJson: Readonly<Record<string, unknown>>;
  /** Base URL of the host's HTTP server, e.g. `http://127.0.0.1:7071`. */
  readonly baseUrl: string;
  /** The extensions' system key: the host asks it of every `/runtime/webhooks/` call. */
  readonly systemKey: string;
  readonly logger: HostLogger;
}

export interface HostPlugin {
  readonly name: string;
  readonly triggerTypes: readonly string[];
  readonly inputBindingTypes?: readonly string[];
  start(context: HostPluginContext): Promise<void>;
  /**
   * Data for an input binding whose type is in `inputBindingTypes`, computed per invocation
   * from the trigger's request (binding expressions); throwing fails the invocation.
   */
  inputBindingData?(
    binding: BindingInfoLike,
    fn: RegisteredFunction,
    request: InvocationRequest,
  ): RpcTypedDataLike | Promise<RpcTypedDataLike>;
  /** Answers a request outside the `/api` prefix; resolves true when it handled it. */
  handleHttp?(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Counters for `GET /admin/host/stats` (benchmarks). */
  stats?(): Record<string, unknown>;
  /** Stops taking work and lets in-flight work end (or be safely abandoned). */
  stop(): Promise<void>;
}
