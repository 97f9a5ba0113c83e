/**
 * Runs one invocation the way the Node.js worker does: the programming model's invocation
 * model turns RPC input into `(context, inputs)`, pre-invocation hooks run, the handler runs,
 * post-invocation hooks run, and the result becomes RPC output. Input bindings the host does
 * not fill itself are asked of plugins (`durableClient`); output bindings are handed to their
 * output handlers (Service Bus) once the handler has succeeded, as the Functions host does.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { types } from "node:util";
import type { CoreInvocationContext, CoreInvocationResponse } from "./coreTypes";
import { currentProgrammingModel, type FunctionAppRegistry } from "./functionsCore";
import type { LogLevel, LogWriter } from "./logger";
import type {
  BindingInfoLike,
  FunctionInvoker,
  HostPlugin,
  InvocationRequest,
  InvocationResult,
  RegisteredFunction,
  RpcTypedDataLike,
} from "./plugin";

/** Sends one output binding's value (e.g. Service Bus messages); rejects to fail the invocation. */
export type OutputBindingHandler = (
  binding: BindingInfoLike,
  data: RpcTypedDataLike,
  fn: RegisteredFunction,
) => Promise<void>;

export interface InvokerOptions {
  readonly log: LogWriter;
  /** Plugins asked for the data of input bindings of their `inputBindingTypes`. */
  readonly inputProviders?: readonly HostPlugin[];
  /** Output handlers by binding type (lower case); `http` is the caller's business. */
  readonly outputHandlers?: ReadonlyMap<string, OutputBindingHandler>;
}

/** The seam's invoker plus what the host itself needs from it. */
export interface LocalFunctionInvoker extends FunctionInvoker {
  /** Shared by app-level hooks (`appHookData` in the worker). */
  readonly appHookData: Record<string, unknown>;
  /** Number of invocations running now. */
  readonly inFlight: number;
  /** Invocations started so far, by trigger type (what Azure bills as executions). */
  readonly invocations: Readonly<Record<string, number>>;
  /** Replaces the input providers (plugins are known only once the host starts). */
  setInputProviders(providers: readonly HostPlugin[]): void;
  /** Replaces the output handlers. */
  setOutputHandlers(handlers: ReadonlyMap<string, OutputBindingHandler>): void;
}

/** The handler threw, or a hook or output binding failed; `cause` is what was thrown. */
export class InvocationFailedError extends Error {
  constructor(
    readonly functionName: string,
    readonly invocationId: string,
    cause: unknown,
  ) {
    super(
      `Function '${functionName}' failed (Id=${invocationId}): ${isError(cause) ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = "InvocationFailedError";
  }
}

const TRACE_PARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The caller's W3C traceparent when well-formed, else a new trace (as the host starts one). */
function validTraceParent(value: string | undefined): string {
  if (value && TRACE_PARENT.test(value)) return value;
  return `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-01`;
}

/** An Error from any realm (the app may run outside a test runner's sandbox). */
function isError(value: unknown): value is Error {
  return value instanceof Error || types.isNativeError(value);
}

/** Any thrown value as an Error, as the worker reports it (the original kept as `cause`). */
function ensureError(value: unknown): Error {
  if (isError(value)) return value;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return new Error(`Non-error thrown: ${text}`, { cause: value });
}

function isInputBinding(binding: BindingInfoLike): boolean {
  return binding.direction === "in" || binding.direction === 0 || binding.direction === "inout";
}

function isOutputBinding(binding: BindingInfoLike): boolean {
  return binding.direction === "out" || binding.direction === 1 || binding.direction === "inout";
}

function toLevel(level: string): LogLevel {
  switch (level) {
    case "trace":
    case "debug":
    case "information":
    case "warning":
    case "error":
    case "critical":
    case "none":
      return level;
    default:
      return "information";
  }
}

export function createInvoker(
  registry: FunctionAppRegistry,
  options: InvokerOptions,
): LocalFunctionInvoker {
  const log = options.log;
  let inputProviders: readonly HostPlugin[] = options.inputProviders ?? [];
  let outputHandlers: ReadonlyMap<string, OutputBindingHandler> =
    options.outputHandlers ?? new Map();
  const appHookData: Record<string, unknown> = {};
  let inFlight = 0;
  const invocations: Record<string, number> = {};

  async function pluginInputs(
    fn: RegisteredFunction,
    request: InvocationRequest,
  ): Promise<InvocationRequest["inputData"]> {
    const present = new Set(request.inputData.map((i) => i.name));
    const extra: InvocationRequest["inputData"] = [];
    for (const [name, binding] of Object.entries(fn.bindings)) {
      if (name === fn.triggerBindingName || present.has(name) || !isInputBinding(binding)) continue;
      const provider = inputProviders.find((p) => p.inputBindingTypes?.includes(binding.type));
      if (provider?.inputBindingData) {
        extra.push({ name, data: await provider.inputBindingData(binding, fn, request) });
      }
    }
    return extra;
  }

  async function sendOutputs(
    fn: RegisteredFunction,
    response: CoreInvocationResponse,
  ): Promise<void> {
    for (const [name, binding] of Object.entries(fn.bindings)) {
      if (!isOutputBinding(binding)) continue;
      const handler = outputHandlers.get(binding.type.toLowerCase());
      if (!handler) continue;
      const data =
        name === "$return"
          ? response.returnValue
          : response.outputData?.find((o) => o.name === name)?.data;
      if (data !== null && data !== undefined) await handler(binding, data, fn);
    }
  }

  async function invoke(
    fn: RegisteredFunction,
    request: InvocationRequest,
  ): Promise<InvocationResult> {
    const registration = registry.functions.get(fn.name);
    const programmingModel = currentProgrammingModel();
    if (!registration || !programmingModel) {
      throw new Error(`Function "${fn.name}" is not registered by the loaded app.`);
    }
    const invocationId = randomUUID();
    const started = performance.now();
    inFlight++;
    invocations[fn.triggerType] = (invocations[fn.triggerType] ?? 0) + 1;
    let invocationContext: unknown;
    const logHookData: Record<string, unknown> = {};
    const coreCtx: CoreInvocationContext = {
      invocationId,
      request: {
        invocationId,
        functionId: fn.name,
        inputData: [...request.inputData],
        triggerMetadata: request.triggerMetadata ?? {},
        traceContext: {
          ...request.traceContext,
          traceParent: validTraceParent(request.traceContext?.traceParent),
        },
      },
      metadata: { name: fn.name, functionId: fn.name, bindings: { ...fn.bindings } },
      log: (level, category, message) => {
        // Log hooks (app.hook.log) see each line first and may change its level or message.
        const hooks = registry.hooksOf("log");
        const entry = { level, category, message, invocationContext, hookData: logHookData };
        for (const hook of hooks) hook(entry);
        log.log({
          level: toLevel(entry.level),
          category,
          functionName: fn.name,
          invocationId,
          message: entry.message,
        });
      },
    };
    try {
      // Input bindings are bound before the function runs; one that fails (a binding
      // expression the request cannot satisfy) fails the invocation, as in Azure.
      coreCtx.request.inputData.push(...(await pluginInputs(fn, request)));
      const model = programmingModel.getInvocationModel(coreCtx);
      const { context, inputs } = await model.getArguments();
      invocationContext = context;
      const hookData: Record<string, unknown> = {};
      const pre = {
        hookData,
        appHookData,
        invocationContext: context,
        inputs,
        functionCallback: registration.callback,
      };
      coreCtx.state = "preInvocationHooks";
      try {
        for (const hook of registry.hooksOf("preInvocation")) await hook(pre);
      } finally {
        coreCtx.state = undefined;
      }
      const post: Record<string, unknown> = {
        hookData,
        appHookData,
        invocationContext: context,
        inputs: pre.inputs,
        result: null,
        error: null,
      };
      coreCtx.state = "invocation";
      try {
        post.result = await model.invokeFunction(context, pre.inputs, pre.functionCallback);
      } catch (error) {
        post.error = error;
      }
      coreCtx.state = "postInvocationHooks";
      try {
        for (const hook of registry.hooksOf("postInvocation")) await hook(post);
      } finally {
        coreCtx.state = undefined;
      }
      if (post.error !== null && post.error !== undefined) {
        throw ensureError(post.error);
      }
      const response = await model.getResponse(context, post.result);
      await sendOutputs(fn, response);
      const duration = Math.round(performance.now() - started);
      log.log({
        level: "information",
        category: "system",
        functionName: fn.name,
        invocationId,
        message: `Executed 'Functions.${fn.name}' (Succeeded, Id=${invocationId}, Duration=${duration}ms)`,
        fields: log.isJson ? { outcome: "Succeeded", durationMs: duration } : undefined,
      });
      return {
        returnValue: response.returnValue ?? null,
        outputData: (response.outputData ?? []).flatMap((o) =>
          o.data === null || o.data === undefined ? [] : [{ name: o.name, data: o.data }],
        ),
      };
    } catch (error) {
      const duration = Math.round(performance.now() - started);
      const text = isError(error) ? (error.stack ?? error.message) : String(error);
      log.log({
        level: "error",
        category: "system",
        functionName: fn.name,
        invocationId,
        message: `Executed 'Functions.${fn.name}' (Failed, Id=${invocationId}, Duration=${duration}ms): ${text}`,
        fields: log.isJson ? { outcome: "Failed", durationMs: duration } : undefined,
      });
      throw new InvocationFailedError(fn.name, invocationId, error);
    } finally {
      inFlight--;
    }
  }

  return {
    appHookData,
    get inFlight() {
      return inFlight;
    },
    invocations,
    invoke,
    setInputProviders(providers) {
      inputProviders = providers;
    },
    setOutputHandlers(handlers) {
      outputHandlers = handlers;
    },
  };
}
