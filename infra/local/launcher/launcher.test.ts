import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort, freeStandInPorts } from "../testing/freePorts";
import { LineCollector } from "../testing/lineCollector";
import { runtimeDist } from "../testing/runtimePaths";
import { FIXTURE_APP_DIR, FIXTURE_APP_ENTRY } from "../host/testing/fixtureApp";

const LAUNCHER = runtimeDist("launcher", "main.js");

/** Every port on 0 (free ports), so the test never touches the well-known defaults. */
const FREE_PORTS = { LOCAL_HTTP_PORT: "0", ...freeStandInPorts() };

function launch(cwd: string, env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, [LAUNCHER, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = new LineCollector();
  output.attach(child.stdout);
  output.attach(child.stderr);
  const exited = new Promise<number | null>((resolve) =>
    child.once("close", (code) => resolve(code)),
  );
  return { child, output, exited };
}

describe("npm start (launcher)", () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "launcher-"));
    copyFileSync(path.join(FIXTURE_APP_DIR, "host.json"), path.join(dir, "host.json"));
    writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify({ name: "fixture", main: FIXTURE_APP_ENTRY }),
    );
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("brings up the stand-ins and the host, prints the ready block, and stops everything on SIGTERM", async () => {
    const run = launch(dir, FREE_PORTS, ["--open", "/api/hello/page"]);
    try {
      await run.output.waitFor(/Press Ctrl-C to stop/, 60_000, run.exited);
      const text = run.output.lines.join("\n");
      expect(text).toMatch(/Local stack is ready/);
      expect(text).toMatch(/Open: http:\/\/\S+\/api\/hello\/page/);
      const signalR = /SignalR +(http:\/\/localhost:\d+)/.exec(text)?.[1];
      expect(signalR).toBeDefined();
      expect((await fetch(`${signalR}/api/v1/health`)).status).toBe(200);
      const openId = /Identity +(http:\/\/\S+\/openid-configuration)/.exec(text)?.[1];
      expect(openId).toBeDefined();
      const config = (await (await fetch(openId!)).json()) as { jwks_uri: string };
      const jwks = (await (await fetch(config.jwks_uri)).json()) as { keys: unknown[] };
      expect(jwks.keys).toHaveLength(1);
      expect(text).toMatch(
        /curl -H "x-functions-key: \S+" http:\/\/\S+\/runtime\/webhooks\/durabletask\/instances\/<orderId>/,
      );
      expect(text).toMatch(/Azurite +blob http:\/\/127\.0\.0\.1:\d+/);
      expect(text).toMatch(/Cosmos +https:\/\/127\.0\.0\.1:\d+\//);
      expect(text).toMatch(/Service Bus +sb:\/\/localhost:\d+/);
      const url = /hello +httpTrigger +\[GET,POST\] (http:\/\/\S+)\/api\/hello/.exec(text)?.[1];
      expect(url).toBeDefined();
      const res = await fetch(`${url}/api/hello/launcher`);
      expect(res.status).toBe(200);
    } finally {
      run.child.kill("SIGTERM");
    }
    expect(await run.exited).toBe(0);
    expect(run.output.lines.some((l) => l.includes("fixture appTerminate hook ran"))).toBe(true);
  });

  it("restarts a host that dies, while the stand-ins stay up", async () => {
    const hostPort = await freePort();
    const run = launch(dir, { ...FREE_PORTS, LOCAL_HTTP_PORT: String(hostPort) });
    try {
      await run.output.waitFor(/Press Ctrl-C to stop/, 60_000, run.exited);
      const status = async () =>
        (await (await fetch(`http://127.0.0.1:${hostPort}/admin/host/status`)).json()) as {
          pid: number;
        };
      const { pid } = await status();
      process.kill(pid, "SIGKILL");
      await run.output.waitFor(
        /The Functions host exited unexpectedly .*restarting it/,
        30_000,
        run.exited,
      );
      for (;;) {
        const next = await status().catch(() => undefined);
        if (next && next.pid !== pid) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect((await fetch(`http://127.0.0.1:${hostPort}/api/hello/again`)).status).toBe(200);
    } finally {
      run.child.kill("SIGTERM");
    }
    expect(await run.exited).toBe(0);
  });

  it("stops before starting anything when a port is taken, naming the port and its setting", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const run = launch(dir, { ...FREE_PORTS, COSMOS_PORT: String(port) });
      expect(await run.exited).toBe(1);
      expect(run.output.lines.join("\n")).toContain(
        `port ${port} (Cosmos server) is already in use. Stop what uses it (an earlier npm start or func start?), or set COSMOS_PORT`,
      );
    } finally {
      blocker.close();
    }
  });

  it("reports a missing app entry after the stand-ins came up, and exits cleanly", async () => {
    writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify({ name: "fixture", main: "dist/nothing.js" }),
    );
    const run = launch(dir, FREE_PORTS);
    expect(await run.exited).toBe(1);
    const text = run.output.lines.join("\n");
    expect(text).toMatch(/Stand-ins ready/);
    expect(text).toMatch(/entry ".*nothing\.js" does not exist/);
    expect(text).toMatch(/--standins-only/);
  });
});
