import { checkSagaTimeouts } from "../config/sagaTimeoutCheck";
import { loadSettings, type Settings } from "../config/settings";
import { createApiServices, type ApiServices } from "./apiServices";

/**
 * The process-wide root of the Order API. Settings are validated once, when the app module
 * loads (a bad setting, or saga timeouts that break the rule of sagaTimeoutRule.ts, stop
 * start-up with the SettingsError naming it); clients are built
 * on first use, once, and closed on shutdown.
 */
let settings: Settings | undefined;
let services: ApiServices | undefined;

export function apiSettings(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Settings {
  if (settings === undefined) {
    const loaded = loadSettings(env);
    checkSagaTimeouts(loaded.saga, loaded.saga.topologyFile, env);
    settings = loaded;
  }
  return settings;
}

export function apiServices(): ApiServices {
  services ??= createApiServices(apiSettings());
  return services;
}

export async function closeApiServices(): Promise<void> {
  const current = services;
  services = undefined;
  await current?.close();
}
