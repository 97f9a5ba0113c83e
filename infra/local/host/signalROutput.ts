/**
 * The `signalR` output binding: each value a function returns or sets in `extraOutputs` is a
 * message `{ target, arguments, userId?, groupName?, connectionId? }` or a group action
 * `{ action: "add"|"remove"|"removeAll", groupName?, userId?|connectionId? }`, sent after the
 * handler succeeded through the service's REST API (2022-06-01 routes), one call per item,
 * as the extension's SignalRAsyncCollector sends them. A call the service refuses fails the
 * invocation, as in Azure (the collector's AddAsync throws and the host reports the function
 * failed).
 */
import { signAccessToken } from "../signalr";
import type { OutputBindingHandler } from "./invoker";
import type { RegisteredFunction, RpcTypedDataLike } from "./plugin";
import { hubNameOf, resolveSignalRConnection } from "./signalRConnection";
import { resolveBindingExpression } from "./timerTrigger";

const API_VERSION = "2022-06-01";

interface SignalROutputItem {
  target?: unknown;
  arguments?: unknown;
  userId?: unknown;
  groupName?: unknown;
  connectionId?: unknown;
  action?: unknown;
}

function itemsOf(data: RpcTypedDataLike): SignalROutputItem[] {
  const text =
    typeof data.json === "string"
      ? data.json
      : typeof data.string === "string"
        ? data.string
        : undefined;
  if (text === undefined) return [];
  const value: unknown = JSON.parse(text);
  return (Array.isArray(value) ? value : [value]) as SignalROutputItem[];
}

const seg = (value: unknown): string => encodeURIComponent(String(value));
const present = (value: unknown): value is string => typeof value === "string" && value !== "";

/** Path and method of the REST call for one item; throws for an item that is neither kind. */
function callOf(
  item: SignalROutputItem,
  hub: string,
): { method: string; path: string; body?: string } {
  const base = `/api/hubs/${seg(hub)}`;
  if (present(item.target)) {
    const body = JSON.stringify({ target: item.target, arguments: item.arguments ?? [] });
    if (present(item.connectionId))
      return { method: "POST", path: `${base}/connections/${seg(item.connectionId)}/:send`, body };
    if (present(item.userId))
      return { method: "POST", path: `${base}/users/${seg(item.userId)}/:send`, body };
    if (present(item.groupName))
      return { method: "POST", path: `${base}/groups/${seg(item.groupName)}/:send`, body };
    return { method: "POST", path: `${base}/:send`, body };
  }
  const action = typeof item.action === "string" ? item.action.toLowerCase() : undefined;
  if (action === "add" || action === "remove" || action === "removeall") {
    const method = action === "add" ? "PUT" : "DELETE";
    if (present(item.connectionId) && present(item.groupName))
      return {
        method,
        path: `${base}/groups/${seg(item.groupName)}/connections/${seg(item.connectionId)}`,
      };
    if (present(item.userId) && action === "removeall")
      return { method, path: `${base}/users/${seg(item.userId)}/groups` };
    if (present(item.userId) && present(item.groupName))
      return { method, path: `${base}/users/${seg(item.userId)}/groups/${seg(item.groupName)}` };
    throw new Error("ConnectionId and UserId cannot be null or empty together");
  }
  throw new Error(
    "Unable to convert the output value to a SignalR message or group action (it needs target or action).",
  );
}

/** Checks every `signalR` output binding's connection and hub at start-up. */
export function validateSignalROutputs(
  functions: readonly RegisteredFunction[],
  settings: Readonly<Record<string, string | undefined>>,
): void {
  for (const fn of functions) {
    for (const binding of Object.values(fn.bindings)) {
      if (binding.type.toLowerCase() !== "signalr" || binding.direction === "in") continue;
      const where = `Function "${fn.name}" (signalR output)`;
      resolveSignalRConnection(binding, settings, where);
      resolveBindingExpression(hubNameOf(binding, where), settings, where);
    }
  }
}

export function createSignalROutputHandler(
  settings: Readonly<Record<string, string | undefined>>,
): OutputBindingHandler {
  return async (binding, data, fn) => {
    const where = `Function "${fn.name}" (signalR output)`;
    const connection = resolveSignalRConnection(binding, settings, where);
    const hub = resolveBindingExpression(hubNameOf(binding, where), settings, where);
    for (const item of itemsOf(data)) {
      const call = callOf(item, hub);
      const token = signAccessToken(connection.accessKey, {
        audience: `${connection.endpoint}${call.path}`,
      });
      const response = await fetch(
        `${connection.endpoint}${call.path}?api-version=${API_VERSION}`,
        {
          method: call.method,
          headers: {
            Authorization: `Bearer ${token}`,
            ...(call.body === undefined ? {} : { "Content-Type": "application/json" }),
          },
          ...(call.body === undefined ? {} : { body: call.body }),
        },
      );
      if (!response.ok) {
        const text = await response.text().catch(() => "");
        throw new Error(
          `${where}: ${call.method} ${call.path} answered ${response.status} ${text}`.trim(),
        );
      }
    }
  };
}
