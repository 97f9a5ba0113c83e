/**
 * `local.settings.json` as `func start` treats it: its `Values` become environment variables
 * of the app, except those already set in the environment (the environment wins, so a test or
 * a shell can override one setting). The file is created from `local.settings.sample.json` on
 * first start, because `local.settings.json` is git-ignored and holds the user's own values.
 */
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";

export const LOCAL_SETTINGS_FILE = "local.settings.json";
export const LOCAL_SETTINGS_SAMPLE_FILE = "local.settings.sample.json";

export interface LocalSettingsFile {
  IsEncrypted?: boolean;
  Values?: Record<string, unknown>;
  Host?: { LocalHttpPort?: number | string; CORS?: string; CORSCredentials?: boolean };
  ConnectionStrings?: Record<string, unknown>;
}

export interface AppliedLocalSettings {
  /** The settings file read, if any. */
  readonly file: string | undefined;
  /** True when the file was just created from the sample. */
  readonly created: boolean;
  /** Names set from the file (the ones the environment did not already have). */
  readonly applied: readonly string[];
  readonly host: NonNullable<LocalSettingsFile["Host"]>;
}

/** Reads (creating it from the sample if missing) and parses `local.settings.json`. */
export function readLocalSettings(appDirectory: string): {
  file: string | undefined;
  created: boolean;
  settings: LocalSettingsFile;
} {
  const file = path.join(appDirectory, LOCAL_SETTINGS_FILE);
  let created = false;
  if (!existsSync(file)) {
    const sample = path.join(appDirectory, LOCAL_SETTINGS_SAMPLE_FILE);
    if (!existsSync(sample)) return { file: undefined, created, settings: {} };
    copyFileSync(sample, file);
    created = true;
  }
  let settings: LocalSettingsFile;
  try {
    settings = JSON.parse(readFileSync(file, "utf8")) as LocalSettingsFile;
  } catch (error) {
    throw new Error(
      `${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}); fix it or delete it to recreate it from ${LOCAL_SETTINGS_SAMPLE_FILE}.`,
      { cause: error },
    );
  }
  if (settings.IsEncrypted === true) {
    throw new Error(
      `${file} is encrypted ("IsEncrypted": true); the local host reads plain settings only. Set "IsEncrypted" to false with plain values.`,
    );
  }
  return { file, created, settings };
}

/** Applies `Values` to `env` (process.env by default) where not already set. */
export function applyLocalSettings(
  appDirectory: string,
  env: Record<string, string | undefined> = process.env,
): AppliedLocalSettings {
  const { file, created, settings } = readLocalSettings(appDirectory);
  const applied: string[] = [];
  for (const [name, value] of Object.entries(settings.Values ?? {})) {
    if (env[name] !== undefined || value === null || value === undefined) continue;
    env[name] = typeof value === "string" ? value : JSON.stringify(value);
    applied.push(name);
  }
  return { file, created, applied, host: settings.Host ?? {} };
}
