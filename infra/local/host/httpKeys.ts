/**
 * Function keys, as `func start` treats them: not checked by default (every authLevel is
 * reachable locally), checked when LOCAL_HOST_ENFORCE_KEYS=true so the keyed path can be
 * tested. A key arrives in the `x-functions-key` header or the `code` query parameter; a
 * `function` level accepts the function key or the master key, `admin` only the master key.
 */
import { timingSafeEqual } from "node:crypto";

export interface KeySettings {
  readonly enforce: boolean;
  readonly functionKey: string | undefined;
  readonly masterKey: string | undefined;
}

export function keySettingsFrom(
  settings: Readonly<Record<string, string | undefined>>,
): KeySettings {
  return {
    enforce: (settings.LOCAL_HOST_ENFORCE_KEYS ?? "").toLowerCase() === "true",
    functionKey: settings.LOCAL_HOST_FUNCTION_KEY || undefined,
    masterKey: settings.LOCAL_HOST_MASTER_KEY || undefined,
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
