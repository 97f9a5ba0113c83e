import { FaultInjector } from "./faultInjector";
import { startFaultControlServer, type FaultControlServer } from "./faultControlServer";
import type { FaultSnapshot } from "./faultInjector";

let faults: FaultInjector;
let server: FaultControlServer;
const kills: string[] = [];

async function call(method: string, path: string, body?: string) {
  const response = await fetch(`${server.url}${path}`, { method, ...(body ? { body } : {}) });
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    json: (await response.json()) as Record<string, unknown>,
  };
}

beforeEach(async () => {
  kills.length = 0;
  faults = new FaultInjector({
    hostControl: {
      kill: () => {
        kills.push("SIGKILL");
        return Promise.resolve("killed");
      },
    },
  });
  server = await startFaultControlServer(faults);
});

afterEach(async () => {
  faults.clear();
  await server.close();
});

describe("fault control API", () => {
  it("switches a fault on with defaults, reports it as active, and switches everything off", async () => {
    const on = await call("POST", "/faults/cosmos/throttle", JSON.stringify({ share: 0.1 }));
    expect(on.status).toBe(200);
    expect((on.json as unknown as FaultSnapshot).active.cosmos).toEqual({
      throttle: { share: 0.1, retryAfterMs: 100 },
    });
    const off = await call("DELETE", "/faults");
    expect((off.json as unknown as FaultSnapshot).active.cosmos).toEqual({});
    expect((off.json as unknown as FaultSnapshot).events.map((e) => [e.fault, e.phase])).toEqual([
      ["throttle", "start"],
      ["throttle", "end"],
    ]);
  });

  it("switches one fault off and leaves the others on", async () => {
    await call("POST", "/faults/cosmos/throttle", JSON.stringify({ share: 0.1 }));
    await call("POST", "/faults/servicebus/busy", "{}");
    const after = await call("DELETE", "/faults/cosmos/throttle");
    const { active } = after.json as unknown as FaultSnapshot;
    expect(active.cosmos).toEqual({});
    expect(active.servicebus.busy).toBe(true);
  });

  it("refuses a bad value with problem+json naming the field", async () => {
    const bad = await call("POST", "/faults/cosmos/throttle", JSON.stringify({ share: 1.5 }));
    expect(bad.status).toBe(400);
    expect(bad.type).toMatch(/^application\/problem\+json/);
    expect(bad.json.errors).toEqual([expect.objectContaining({ field: "share" })]);
    expect(faults.cosmos.throttle.get()).toBeUndefined();
  });

  it("refuses an option the fault does not take, and a body that is not JSON", async () => {
    const extra = await call("POST", "/faults/host/kill", JSON.stringify({ evry: 100 }));
    expect(extra.status).toBe(400);
    expect(JSON.stringify(extra.json.errors)).toContain("evry");
    const notJson = await call("POST", "/faults/host/kill", "{");
    expect(notJson.status).toBe(400);
    expect(notJson.json.errors).toEqual([expect.objectContaining({ field: "(body)" })]);
  });

  it("answers 404 naming the known faults for an unknown one", async () => {
    const unknown = await call("POST", "/faults/cosmos/explode", "{}");
    expect(unknown.status).toBe(404);
    expect(String(unknown.json.detail)).toContain("cosmos throttle");
  });

  it("kills the host through its owner and counts each kill", async () => {
    const response = await call("POST", "/faults/host/kill", "{}");
    expect(response.status).toBe(200);
    await new Promise((resolve) => setImmediate(resolve));
    expect(kills).toEqual(["SIGKILL"]);
    expect(faults.snapshot().counts.host.kills).toBe(1);
  });

  it("answers 409 to a host kill when no one owns a host", async () => {
    await server.close();
    faults = new FaultInjector();
    server = await startFaultControlServer(faults);
    const response = await call("POST", "/faults/host/kill", "{}");
    expect(response.status).toBe(409);
  });
});
