/**
 * Crash recovery: the host process (not Azurite) is killed with SIGKILL while orchestrations
 * are mid-flight, then started again on the same storage. Every instance must complete with
 * the right output, and each activity may have run at most once more than needed.
 */
import type { HostProcess } from "../testing/startHostProcess";
import { DurableTestClient, eventually } from "./testing/durableTestClient";
import { recorded, scratchDir, startFixtureHost } from "./testing/fixtureHost";
import { startAzuriteTables, type AzuriteTables } from "./testing/startAzurite";

let azurite: AzuriteTables;
let host: HostProcess | undefined;

beforeAll(async () => {
  azurite = await startAzuriteTables();
});

afterAll(async () => {
  await host?.kill();
  await azurite?.stop();
});

function countBy(lines: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const l of lines) counts.set(l, (counts.get(l) ?? 0) + 1);
  return counts;
}

it("resumes every instance after the host is killed mid-flight", async () => {
  const scratch = scratchDir();
  host = await startFixtureHost(azurite.connectionString, scratch);
  let client = new DurableTestClient(host.baseUrl, host.systemKey);
  const keys = ["c0", "c1", "c2", "c3", "c4", "c5"];
  for (const key of keys) await client.startId("Crashable", key, `crash-${key}`);
  // Kill once some activities have finished and others are running.
  await eventually(() => recorded(scratch, "work-done").length >= 4);
  await host.kill("SIGKILL");
  const startedBeforeCrash = new Set(recorded(scratch, "work-start"));

  host = await startFixtureHost(azurite.connectionString, scratch);
  client = new DurableTestClient(host.baseUrl, host.systemKey);
  for (const key of keys) {
    const status = await client.finished(`crash-${key}`, 30_000);
    expect(status.runtimeStatus).toBe("Completed");
    expect(status.output).toEqual([`${key}-0`, `${key}-1`, `${key}-2`]);
  }
  const starts = countBy(recorded(scratch, "work-start"));
  expect(starts.size).toBe(keys.length * 3);
  for (const n of starts.values()) expect(n).toBeLessThanOrEqual(2);
  // Only work in flight at the crash (started, answer not yet stored) may run again, and no
  // more of it than the fixture's maxConcurrentActivityFunctions (8) lets run at once.
  const repeated = [...starts].filter(([, n]) => n === 2).map(([key]) => key);
  for (const key of repeated) expect(startedBeforeCrash.has(key)).toBe(true);
  expect(repeated.length).toBeLessThanOrEqual(8);
  expect(startedBeforeCrash.size).toBeGreaterThan(0);
});
