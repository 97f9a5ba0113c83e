/**
 * Binding expressions over an HTTP trigger's data, as the Functions host resolves them in
 * input binding properties (`userId: "{headers.x-ms-client-principal-id}"`): `headers.<name>`
 * (any case), `query.<name>`, route parameters by name, and `sys.randguid` / `sys.utcnow`.
 * A name the request does not carry fails the binding, and with it the invocation (a 500),
 * exactly as in Azure: "Error while accessing 'x': property doesn't exist."
 * (Azure/azure-functions-signalrservice-extension#58, Azure/azure-webjobs-sdk#2713.)
 */
import { randomUUID } from "node:crypto";
import type { RpcHttpData } from "./coreTypes";
import type { InvocationRequest, RegisteredFunction } from "./plugin";
import { resolveBindingExpression } from "./timerTrigger";

export interface HttpBindingData {
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly params: Readonly<Record<string, string>>;
}

/** The trigger's HTTP request as binding data, or undefined when the trigger is not HTTP. */
export function httpBindingData(
  fn: RegisteredFunction,
  request: InvocationRequest,
): HttpBindingData | undefined {
  const trigger = request.inputData.find((i) => i.name === fn.triggerBindingName);
  const http = trigger?.data.http as RpcHttpData | undefined;
  if (!http) return undefined;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(http.headers ?? {}))
    headers[name.toLowerCase()] = value;
  const query: Record<string, string> = {};
  if (http.url)
    for (const [name, value] of new URL(http.url).searchParams) query[name.toLowerCase()] = value;
  return { headers, query, params: http.params ?? {} };
}

function lookup(expression: string, data: HttpBindingData | undefined): string {
  const [head, ...rest] = expression.split(".");
  const name = head!.trim();
  const property = rest.join(".").trim();
  if (name.toLowerCase() === "sys" && property.toLowerCase() === "randguid") return randomUUID();
  if (name.toLowerCase() === "sys" && property.toLowerCase() === "utcnow")
    return new Date().toISOString();
  if (data && (name.toLowerCase() === "headers" || name.toLowerCase() === "query") && property) {
    const bag = name.toLowerCase() === "headers" ? data.headers : data.query;
    const value = bag[property.toLowerCase()];
    if (value === undefined)
      throw new Error(`Error while accessing '${property}': property doesn't exist.`);
    return value;
  }
  const param = data?.params[name];
  if (param !== undefined && !property) return param;
  throw new Error(`No value for named parameter '${expression}'.`);
}

/**
 * Resolves `%setting%` and `{expression}` parts of a binding property for one invocation;
 * throws (failing the invocation) when a part cannot be resolved.
 */
export function resolveInvocationExpression(
  value: string,
  settings: Readonly<Record<string, string | undefined>>,
  data: HttpBindingData | undefined,
  where: string,
): string {
  const withSettings = resolveBindingExpression(value, settings, where);
  return withSettings.replace(/\{([^{}]+)\}/g, (_all, expression: string) =>
    lookup(expression, data),
  );
}
