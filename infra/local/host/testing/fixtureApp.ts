/** Where the host tests' fixture app lives: its source folder (host.json) and compiled entry. */
import path from "node:path";
import { repoRoot } from "../../testing/repoRoot";

export const FIXTURE_APP_DIR = path.join(
  repoRoot(),
  "infra",
  "local",
  "host",
  "testing",
  "fixture-app",
);
export const FIXTURE_APP_ENTRY = path.join(
  repoRoot(),
  "dist",
  "infra",
  "local",
  "host",
  "testing",
  "fixture-app",
  "index.js",
);

/** Reads a JSON response body as the type the test expects of the fixture. */
export async function readJson<T>(response: Response | Promise<Response>): Promise<T> {
  return (await (await response).json()) as T;
}
