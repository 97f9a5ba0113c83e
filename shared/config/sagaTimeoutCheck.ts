import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { commandInvisibility, sagaTimeoutProblems, type SagaTimeouts } from "./sagaTimeoutRule";
import { SettingsError } from "./settingsError";

/** Where the deployed topology sits in the app: beside host.json (tools/deploy/packageApp.ts). */
export const TOPOLOGY_IN_APP = path.join("infra", "servicebus", "config.json");

/** The folder holding host.json, whether this file runs compiled or from source. */
function appRoot(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "host.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No host.json above ${from}.`);
  }
}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as unknown;
  } catch (error) {
    throw new Error(`${what} (${file}) cannot be read: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Start-up check of the saga timeout rule (sagaTimeoutRule.ts) against the topology the app
 * ships with (or SERVICEBUS_TOPOLOGY_FILE, for a stack that runs the emulator with another)
 * and host.json. Throws a SettingsError naming each timeout and both values it broke.
 */
export function checkSagaTimeouts(
  timeouts: SagaTimeouts,
  topologyFile: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  root = appRoot(),
): void {
  const file = topologyFile ?? path.join(root, TOPOLOGY_IN_APP);
  const topology = readJson(file, "The Service Bus topology");
  const hostJson = readJson(path.join(root, "host.json"), "host.json");
  const source = topologyFile === undefined ? TOPOLOGY_IN_APP : "SERVICEBUS_TOPOLOGY_FILE";
  const problems = sagaTimeoutProblems(
    timeouts,
    commandInvisibility(topology, source, hostJson, env),
  );
  if (problems.length > 0) throw new SettingsError(problems);
}
