/**
 * `host.json` of the app: the parts the local host honours, with the Functions defaults when a
 * value is unset (docs: functions-host-json, functions-bindings-service-bus#hostjson-settings).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export type HostJson = Record<string, unknown>;

export interface ServiceBusHostOptions {
  readonly prefetchCount: number;
  readonly autoCompleteMessages: boolean;
  readonly maxConcurrentCalls: number;
  readonly maxConcurrentSessions: number;
  readonly maxConcurrentCallsPerSession: number;
  readonly maxAutoLockRenewalDurationInMs: number;
  readonly sessionIdleTimeoutInMs: number | undefined;
  readonly maxMessageBatchSize: number;
}

export function readHostJson(appDirectory: string): HostJson {
  const file = path.join(appDirectory, "host.json");
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, "utf8")) as HostJson;
  } catch (error) {
    throw new Error(
      `${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/**
 * App settings named `AzureFunctionsJobHost__a__b__c` override host.json's `a.b.c`, as the
 * Functions host applies them (docs: functions-host-json#override-hostjson-values). Keys
 * match case-insensitively; the value stays a string, as the host reads it.
 */
export function applyHostJsonOverrides(
  hostJson: HostJson,
  env: Readonly<Record<string, string | undefined>>,
): HostJson {
  const prefix = "azurefunctionsjobhost__";
  const out = structuredClone(hostJson);
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !name.toLowerCase().startsWith(prefix)) continue;
    const keys = name.slice(prefix.length).split("__");
    let at: Record<string, unknown> = out;
    keys.forEach((key, i) => {
      const existing = Object.keys(at).find((k) => k.toLowerCase() === key.toLowerCase()) ?? key;
      if (i === keys.length - 1) at[existing] = value;
      else {
        const next = at[existing];
        const child = (next !== null && typeof next === "object" ? next : {}) as Record<
          string,
          unknown
        >;
        at[existing] = child;
        at = child;
      }
    });
  }
  return out;
}

function section(json: unknown, ...keys: string[]): Record<string, unknown> {
  let at: unknown = json;
  for (const key of keys) {
    if (!at || typeof at !== "object") return {};
    // host.json keys are case-insensitive in the Functions host.
    const entry = Object.entries(at as Record<string, unknown>).find(
      ([k]) => k.toLowerCase() === key.toLowerCase(),
    );
    at = entry?.[1];
  }
  return at && typeof at === "object" ? (at as Record<string, unknown>) : {};
}

function get(obj: Record<string, unknown>, key: string): unknown {
  return Object.entries(obj).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
}

/** `hh:mm:ss[.fff]` or `d.hh:mm:ss` (a .NET TimeSpan) in milliseconds. */
export function parseTimeSpan(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d+))?$/.exec(value.trim());
  if (!match) return undefined;
  const [, days, hours, minutes, seconds, fraction] = match;
  const ms = fraction ? Math.round(Number(`0.${fraction}`) * 1000) : 0;
  return (
    ((Number(days ?? 0) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 +
    Number(seconds) * 1000 +
    ms
  );
}

function num(value: unknown, fallback: number): number {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : fallback;
}

/** `extensions.http.routePrefix`, `api` when unset; an empty string means no prefix. */
export function routePrefixOf(hostJson: HostJson): string {
  const prefix = get(section(hostJson, "extensions", "http"), "routePrefix");
  return typeof prefix === "string" ? prefix.replace(/^\/+|\/+$/g, "") : "api";
}

/** `extensions.serviceBus` with the extension 5.x defaults. */
export function serviceBusOptionsOf(hostJson: HostJson): ServiceBusHostOptions {
  const sb = section(hostJson, "extensions", "serviceBus");
  const auto = get(sb, "autoCompleteMessages");
  return {
    prefetchCount: num(get(sb, "prefetchCount"), 0),
    autoCompleteMessages: typeof auto === "boolean" ? auto : true,
    maxConcurrentCalls: Math.max(1, num(get(sb, "maxConcurrentCalls"), 16)),
    maxConcurrentSessions: Math.max(1, num(get(sb, "maxConcurrentSessions"), 8)),
    maxConcurrentCallsPerSession: Math.max(1, num(get(sb, "maxConcurrentCallsPerSession"), 1)),
    maxAutoLockRenewalDurationInMs: parseTimeSpan(get(sb, "maxAutoLockRenewalDuration")) ?? 300_000,
    sessionIdleTimeoutInMs: parseTimeSpan(get(sb, "sessionIdleTimeout")),
    maxMessageBatchSize: Math.max(1, num(get(sb, "maxMessageBatchSize"), 1000)),
  };
}

/** host.json `logging.logLevel.default` (or `Function`), `Information` when unset. */
export function logLevelOf(hostJson: HostJson): string | undefined {
  const levels = section(hostJson, "logging", "logLevel");
  const fn = get(levels, "Function");
  const def = get(levels, "default");
  return typeof fn === "string" ? fn : typeof def === "string" ? def : undefined;
}
