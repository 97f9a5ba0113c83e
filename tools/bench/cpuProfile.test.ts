import { packageOf, summarizeProfile } from "./cpuProfile";

const frame = (id: number, functionName: string, url: string) => ({
  id,
  callFrame: { functionName, url, lineNumber: 9 },
});

describe("packageOf", () => {
  it("names node_modules packages, scoped ones too, Node's modules, the app and the runtime", () => {
    expect(packageOf("file:///r/node_modules/rhea/lib/session.js", "f")).toBe("rhea");
    expect(packageOf("/r/node_modules/a/node_modules/@azure/cosmos/dist/x.js", "f")).toBe(
      "@azure/cosmos",
    );
    expect(packageOf("node:internal/streams/readable", "f")).toBe("node:streams");
    expect(packageOf("node:_http_client", "f")).toBe("node:_http_client");
    expect(packageOf("file:///r/dist/shared/saga/orderSaga.js", "f")).toBe("app");
    expect(packageOf("file:///r/infra/local/dist/durable/x.js", "f")).toBe("local-runtime");
    expect(packageOf("", "(garbage collector)")).toBe("(garbage collector)");
    expect(packageOf("", "writev")).toBe("(native)");
  });
});

describe("summarizeProfile", () => {
  const profile = {
    nodes: [
      frame(1, "(root)", ""),
      frame(2, "(idle)", ""),
      frame(3, "send", "file:///r/node_modules/rhea/lib/link.js"),
      frame(4, "(garbage collector)", ""),
    ],
    startTime: 1_000,
    endTime: 11_000,
    // Samples every 1,000 µs: idle, send, send, gc, send, idle …
    samples: [2, 3, 3, 4, 3, 2, 2, 2, 2, 2],
    timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
  };

  it("sums self time per function and package, leaving idle time out of the busy time", () => {
    const summary = summarizeProfile(profile);
    expect(summary.busyMs).toBe(4);
    expect(summary.packages[0]).toEqual({ name: "rhea", ms: 3, percent: 75 });
    expect(summary.functions.map((f) => f.name)).toEqual([
      "send rhea/lib/link.js:10",
      "(garbage collector)",
    ]);
  });

  it("counts only the samples inside a window", () => {
    const summary = summarizeProfile(profile, 15, { fromUs: 3_500, toUs: 5_500 });
    expect(summary.durationMs).toBe(2);
    expect(summary.busyMs).toBe(2);
  });
});
