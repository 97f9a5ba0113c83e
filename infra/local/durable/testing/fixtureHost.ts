/**
 * Test helper: the local host running the Durable fixture app (compiled by `npm run build`)
 * against an Azurite Table service, with a scratch directory for the activities' run logs.
 */
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runtimeDist, runtimeSource } from "../../testing/runtimePaths";
import { startHostProcess, type HostProcess } from "../../testing/startHostProcess";

export const FIXTURE_DIR = runtimeSource("durable", "testing", "fixture-app");
export const FIXTURE_ENTRY = runtimeDist("durable", "testing", "fixture-app", "index.js");

export function scratchDir(): string {
  return mkdtempSync(path.join(tmpdir(), "durable-fixture-"));
}

export async function startFixtureHost(
  connectionString: string,
  scratch: string,
): Promise<HostProcess> {
  return startHostProcess({
    entry: FIXTURE_ENTRY,
    cwd: FIXTURE_DIR,
    env: { AzureWebJobsStorage: connectionString, DURABLE_FIXTURE_DIR: scratch },
  });
}

/** Lines an activity recorded under the scratch directory (`<kind>.log`). */
export function recorded(scratch: string, kind: string): string[] {
  const file = path.join(scratch, `${kind}.log`);
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "");
}
