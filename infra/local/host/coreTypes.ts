/**
 * The few shapes of the `@azure/functions-core` contract the host relies on, written from the
 * worker's published contract (FunctionRpc.proto and the worker's `types-core`). Only what the
 * host reads or builds is declared; the library owns everything else.
 */
import type { BindingInfoLike, RpcTypedDataLike } from "./plugin";

export type FunctionCallback = (...args: unknown[]) => unknown;

export interface CoreFunctionMetadata {
  name: string;
  functionId?: string;
  bindings: Record<string, BindingInfoLike>;
  retryOptions?: unknown;
}

export interface RpcParameterBinding {
  name: string;
  data: RpcTypedDataLike | null | undefined;
}

export interface RpcInvocationRequest {
  invocationId: string;
  functionId: string;
  inputData: RpcParameterBinding[];
  triggerMetadata: Record<string, RpcTypedDataLike>;
  traceContext?: { traceParent?: string; traceState?: string; attributes?: Record<string, string> };
}

export type InvocationState = "preInvocationHooks" | "postInvocationHooks" | "invocation";

export interface CoreInvocationContext {
  invocationId: string;
  request: RpcInvocationRequest;
  metadata: { name: string; functionId: string; bindings: Record<string, BindingInfoLike> };
  state?: InvocationState;
  log(level: string, category: string, message: string): void;
}

export interface CoreInvocationResponse {
  invocationId?: string;
  outputData?: RpcParameterBinding[] | null;
  returnValue?: RpcTypedDataLike | null;
}

export interface CoreInvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], callback: FunctionCallback): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<CoreInvocationResponse>;
}

export interface CoreProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(coreCtx: CoreInvocationContext): CoreInvocationModel;
  getCapabilities?(capabilities: Record<string, string>): Promise<Record<string, string>>;
}

/** The HTTP part of RPC typed data (`RpcHttpData`). */
export interface RpcHttpData {
  method?: string | null;
  url?: string | null;
  headers?: Record<string, string> | null;
  body?: RpcTypedDataLike | null;
  params?: Record<string, string> | null;
  query?: Record<string, string> | null;
  statusCode?: string | null;
  cookies?: RpcHttpCookie[] | null;
}

export interface RpcHttpCookie {
  name?: string | null;
  value?: string | null;
  domain?: { value?: string | null } | null;
  path?: { value?: string | null } | null;
  expires?: { value?: { seconds?: number | null; nanos?: number | null } | null } | null;
  secure?: { value?: boolean | null } | null;
  httpOnly?: { value?: boolean | null } | null;
  sameSite?: string | number | null;
  maxAge?: { value?: number | null } | null;
}
