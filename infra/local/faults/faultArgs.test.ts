import { parseFaultArgs } from "./faultArgs";

describe("npm run faults arguments", () => {
  it("turns a fault and its options into the control API request", () => {
    expect(parseFaultArgs(["cosmos", "throttle", "--share", "0.1", "--for", "30s"])).toEqual({
      request: {
        method: "POST",
        path: "/faults/cosmos/throttle",
        body: { share: 0.1, forMs: 30_000 },
      },
    });
    expect(parseFaultArgs(["host", "kill", "--every", "20s"])).toEqual({
      request: { method: "POST", path: "/faults/host/kill", body: { everyMs: 20_000 } },
    });
    expect(parseFaultArgs(["cosmos", "delay", "--ms", "200"])).toMatchObject({
      request: { body: { ms: 200 } },
    });
    expect(parseFaultArgs(["storage", "outage", "--for", "15s", "--mode", "reset"])).toMatchObject({
      request: { body: { forMs: 15_000, mode: "reset" } },
    });
  });

  it("reads status, clear and --url", () => {
    expect(parseFaultArgs(["status", "--url", "http://127.0.0.1:9"])).toEqual({
      request: { method: "GET", path: "/faults" },
      url: "http://127.0.0.1:9",
    });
    expect(parseFaultArgs(["clear"])).toEqual({ request: { method: "DELETE", path: "/faults" } });
    expect(parseFaultArgs(["clear", "host", "kill"])).toEqual({
      request: { method: "DELETE", path: "/faults/host/kill" },
    });
  });

  it("names what it cannot read", () => {
    expect(parseFaultArgs(["servicebus", "busy", "--for", "soon"])).toEqual({
      error: '--for "soon" is not a duration (200ms, 15s, 2m).',
    });
    expect(parseFaultArgs(["cosmos", "throttle", "--share"])).toEqual({
      error: "--share needs a value.",
    });
    expect(parseFaultArgs(["cosmos", "throttle", "--loud", "1"])).toEqual({
      error: "Unknown option --loud.",
    });
    expect(parseFaultArgs(["cosmos"])).toMatchObject({ error: expect.stringMatching(/^Usage/) });
  });
});
