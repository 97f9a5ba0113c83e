import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { FIXTURE_APP_DIR, FIXTURE_APP_ENTRY } from "../host/testing/fixtureApp";
import type { FaultSnapshot } from "../faults/faultInjector";
import { freePort } from "../testing/freePorts";
import { LineCollector } from "../testing/lineCollector";
import { runtimeDist } from "../testing/runtimePaths";

const LAUNCHER = runtimeDist("launcher", "main.js");

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "launcher-faults-"));
  copyFileSync(path.join(FIXTURE_APP_DIR, "host.json"), path.join(dir, "host.json"));
  writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "fixture", main: FIXTURE_APP_ENTRY }),
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("npm start -- --faults", () => {
  it("restarts a host killed on a schedule more often than the crash limit allows, and keeps running", async () => {
    const hostPort = await freePort();
    const child = spawn(process.execPath, [LAUNCHER, "--faults"], {
      cwd: dir,
      env: {
        ...process.env,
        LOCAL_HTTP_PORT: String(hostPort),
        AZURITE_BLOB_PORT: "0",
        AZURITE_QUEUE_PORT: "0",
        AZURITE_TABLE_PORT: "0",
        COSMOS_PORT: "0",
        SERVICEBUS_PORT: "0",
        FAULTS_PORT: "0",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output = new LineCollector();
    output.attach(child.stdout);
    output.attach(child.stderr);
    const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
    try {
      const line = await output.waitFor(/^ {2}Faults +http:\/\/\S+/, 90_000, exited);
      const faultsUrl = /(http:\/\/\S+)/.exec(line)![1]!;
      const snapshot = async (): Promise<FaultSnapshot> =>
        (await (await fetch(`${faultsUrl}/faults`)).json()) as FaultSnapshot;

      // The crash limit is 3 restarts a minute; scheduled kills do not count against it.
      const kill = await fetch(`${faultsUrl}/faults/host/kill`, {
        method: "POST",
        body: JSON.stringify({ everyMs: 1000 }),
      });
      expect(kill.status).toBe(200);
      const deadline = Date.now() + 120_000;
      while ((await snapshot()).counts.host.restarts < 5) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`launcher: ${output.lines.slice(-20).join("\n")}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await fetch(`${faultsUrl}/faults`, { method: "DELETE" });
      const { counts } = await snapshot();
      expect(counts.host.kills).toBeGreaterThanOrEqual(5);
      expect(output.lines.join("\n")).not.toMatch(/times within a minute; stopping/);

      let status = 0;
      while (status !== 200 && Date.now() < deadline) {
        status = await fetch(`http://127.0.0.1:${hostPort}/api/hello/after`).then(
          (r) => r.status,
          () => 0,
        );
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(status).toBe(200);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  }, 240_000);
});
