/**
 * Keys, as Azure checks them. Function keys are not checked by default (every authLevel is
 * reachable locally, as with `func start`), only when LOCAL_HOST_ENFORCE_KEYS=true so the
 * keyed path can be tested. A key arrives in the `x-functions-key` header or the `code`
 * query parameter; a `function` level accepts the function key or the master key, `admin`
 * only the master key.
 *
 * Extension webhooks (`/runtime/webhooks/<extension>/…`, the Durable management API) are
 * always checked, whatever LOCAL_HOST_ENFORCE_KEYS says: in Azure the host authorizes them
 * with the extension's system key (`durabletask_extension`) or the master key, and no
 * setting turns that off ("Work with access keys in Azure Functions", key types;
 * "Durable Functions HTTP API reference", `systemKey`). LOCAL_HOST_SYSTEM_KEY is that key;
 * unset, each host start makes a random one, as Azure generates system keys itself.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";

export interface KeySettings {
  readonly enforce: boolean;
  readonly functionKey: string | undefined;
  readonly masterKey: string | undefined;
  /** The extensions' system key (Azure names the Durable one `durabletask_extension`). */
  readonly systemKey: string;
}

/** The path under which the host serves extension webhooks, as in Azure. */
export const WEBHOOKS_PREFIX = "/runtime/webhooks/";

export function keySettingsFrom(
  settings: Readonly<Record<string, string | undefined>>,
): KeySettings {
  return {
    enforce: (settings.LOCAL_HOST_ENFORCE_KEYS ?? "").toLowerCase() === "true",
    functionKey: settings.LOCAL_HOST_FUNCTION_KEY || undefined,
    masterKey: settings.LOCAL_HOST_MASTER_KEY || undefined,
    systemKey: settings.LOCAL_HOST_SYSTEM_KEY || randomBytes(32).toString("base64url"),
  };
}

function same(a: string, b: string | undefined): boolean {
  if (b === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** True when a request carrying `presented` may call a function of `authLevel`. */
export function isAuthorized(
  keys: KeySettings,
  authLevel: unknown,
  presented: string | undefined,
): boolean {
  if (!keys.enforce) return true;
  const level = typeof authLevel === "string" ? authLevel.toLowerCase() : "anonymous";
  if (level === "anonymous") return true;
  if (!presented) return false;
  if (same(presented, keys.masterKey)) return true;
  return level === "function" && same(presented, keys.functionKey);
}

/** True when `presented` may call an extension webhook: the system key or the master key. */
export function isSystemAuthorized(keys: KeySettings, presented: string | undefined): boolean {
  if (!presented) return false;
  return same(presented, keys.systemKey) || same(presented, keys.masterKey);
}
