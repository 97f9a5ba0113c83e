/** Ports of the local stack from settings, each with the setting that changes it. */
import { DEFAULT_HTTP_PORT } from "../host/startHost";
import { DEFAULT_STAND_IN_PORTS, PORT_SETTINGS, type StandInPorts } from "./standIns";

export const HOST_PORT_SETTING = "LOCAL_HTTP_PORT";

function port(value: string | number | undefined, setting: string, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new Error(`${setting}="${String(value)}" is not a valid port (0-65535).`);
  }
  return n;
}

export function standInPortsFrom(env: Readonly<Record<string, string | undefined>>): StandInPorts {
  const result: Record<string, number> = {};
  for (const key of Object.keys(DEFAULT_STAND_IN_PORTS) as Array<keyof StandInPorts>) {
    result[key] = port(env[PORT_SETTINGS[key]], PORT_SETTINGS[key], DEFAULT_STAND_IN_PORTS[key]);
  }
  return result as unknown as StandInPorts;
}

/** LOCAL_HTTP_PORT, else local.settings.json Host.LocalHttpPort, else 7071 (as `func start`). */
export function hostPortFrom(
  env: Readonly<Record<string, string | undefined>>,
  localHttpPort?: number | string,
): number {
  return port(env[HOST_PORT_SETTING] ?? localHttpPort, HOST_PORT_SETTING, DEFAULT_HTTP_PORT);
}
