/** Where the host tests' fixture app lives: its source folder (host.json) and compiled entry. */
import { runtimeDist, runtimeSource } from "../../testing/runtimePaths";

export const FIXTURE_APP_DIR = runtimeSource("host", "testing", "fixture-app");
export const FIXTURE_APP_ENTRY = runtimeDist("host", "testing", "fixture-app", "index.js");

/** Reads a JSON response body as the type the test expects of the fixture. */
export async function readJson<T>(response: Response | Promise<Response>): Promise<T> {
  return (await (await response).json()) as T;
}

/** The SignalR bindings' fixture app (negotiate + push). */
export const SIGNALR_APP_DIR = runtimeSource("host", "testing", "signalr-app");
export const SIGNALR_APP_ENTRY = runtimeDist("host", "testing", "signalr-app", "index.js");
