/**
 * The Durable engine end to end: the fixture app's orchestrators run in the local host (a
 * child process) against Azurite, driven through the management API and `df.getClient`.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { HostProcess } from "../testing/startHostProcess";
import { DurableTestClient, eventually } from "./testing/durableTestClient";
import { recorded, scratchDir, startFixtureHost } from "./testing/fixtureHost";
import { startAzuriteTables, type AzuriteTables } from "./testing/startAzurite";

let azurite: AzuriteTables;
let host: HostProcess;
let client: DurableTestClient;
let scratch: string;

beforeAll(async () => {
  azurite = await startAzuriteTables();
  scratch = scratchDir();
  host = await startFixtureHost(azurite.connectionString, scratch);
  client = new DurableTestClient(host.baseUrl, host.systemKey);
});

afterAll(async () => {
  await host?.kill();
  await azurite?.stop();
});

function history(status: Record<string, unknown>): Array<Record<string, unknown>> {
  return status.historyEvents as Array<Record<string, unknown>>;
}

describe("execution by replay", () => {
  it("runs a chain of activities and records them in the history", async () => {
    const id = await client.startId("Chain");
    const status = await client.finished(id);
    expect(status.runtimeStatus).toBe("Completed");
    expect(status.output).toEqual(["Hello Tokyo", "Hello Seattle", "Hello London"]);
    const completed = history(status).filter((e) => e.EventType === "TaskCompleted");
    expect(completed.map((e) => e.FunctionName)).toEqual(["Hello", "Hello", "Hello"]);
    expect(completed[0]?.Result).toBe("Hello Tokyo");
    expect(history(status).at(-1)).toMatchObject({
      EventType: "ExecutionCompleted",
      OrchestrationStatus: "Completed",
    });
  });

  it("fans out and in with Task.all", async () => {
    const id = await client.startId("FanOut", 30);
    expect((await client.finished(id)).output).toBe(30);
  });

  it("delivers an activity's failure to the orchestrator with its message", async () => {
    const id = await client.startId("CatchFailure");
    expect((await client.finished(id)).output).toEqual({ caught: "Error: activity exploded" });
  });

  it("advances currentUtcDateTime per episode and fires timers", async () => {
    const id = await client.startId("Timer", 300);
    const output = (await client.finished(id)).output as { before: string; after: string };
    expect(Date.parse(output.after) - Date.parse(output.before)).toBeGreaterThanOrEqual(300);
  });

  it("keeps isReplaying, custom status and newGuid right, and writes each log line once", async () => {
    const id = await client.startId("Status");
    const status = await client.finished(id);
    const output = status.output as {
      guids: string[];
      replayingAtStart: boolean;
      replayingAtEnd: boolean;
    };
    expect(output.replayingAtStart).toBe(true);
    expect(output.replayingAtEnd).toBe(false);
    expect(new Set(output.guids).size).toBe(2);
    expect(status.customStatus).toEqual({ step: "second" });
    await eventually(() => host.lines.some((l) => l.includes("status orchestrator line two")));
    expect(host.lines.filter((l) => l.includes("status orchestrator line one"))).toHaveLength(1);
    const two = host.lines.filter((l) => l.includes("status orchestrator line two"));
    expect(two).toHaveLength(1);
    expect(two[0]).toContain("replaying=false");
  });

  it("fails a non-deterministic orchestrator, naming the step and what differed", async () => {
    const id = await client.startId("Nondeterministic");
    const status = await client.finished(id);
    expect(status.runtimeStatus).toBe("Failed");
    expect(status.output).toContain("at step 1 (sequence id 0)");
    expect(status.output).toContain("callActivity('Hello')");
    expect(status.output).toContain("callActivity('Fail')");
  });

  it("runs sub-orchestrations, with retry on a failing one", async () => {
    const id = await client.startId("Parent");
    const output = (await client.finished(id)).output as { child: unknown; failure: string };
    expect(output.child).toEqual(["Hello a", "Hello b"]);
    expect(output.failure).toContain("thrown after the first yield");
  });
});

describe("concurrency", () => {
  it("runs activities in parallel, never more than maxConcurrentActivityFunctions (8) at once", async () => {
    const ids = [await client.startId("ProbeFan", 12), await client.startId("ProbeFan", 12)];
    for (const id of ids) expect((await client.finished(id)).output).toBe(12);
    let running = 0;
    let peak = 0;
    for (const line of recorded(scratch, "probe")) {
      running += line === "+" ? 1 : -1;
      peak = Math.max(peak, running);
    }
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(8);
  });
});

describe("retries", () => {
  it("retries an activity until it succeeds", async () => {
    const id = await client.startId("Retry", { key: "succeeds", failures: 2, attempts: 3 });
    expect((await client.finished(id)).output).toBe("ok after 3");
    expect(recorded(scratch, "flaky").filter((l) => l.startsWith("succeeds "))).toHaveLength(3);
  });

  it("gives up after the maximum number of attempts with the last error", async () => {
    const id = await client.startId("Retry", { key: "exhausted", failures: 9, attempts: 2 });
    expect((await client.finished(id)).output).toEqual({ failed: "Error: flaky failure 2" });
    expect(recorded(scratch, "flaky").filter((l) => l.startsWith("exhausted "))).toHaveLength(2);
  });

  it("stops retrying once the retry timeout has passed", async () => {
    const id = await client.startId("Retry", {
      key: "timeout",
      failures: 99,
      attempts: 8,
      timeoutMs: 150,
    });
    const output = (await client.finished(id)).output as { failed: string };
    expect(output.failed).toMatch(/flaky failure \d+/);
    expect(recorded(scratch, "flaky").filter((l) => l.startsWith("timeout ")).length).toBeLessThan(
      8,
    );
  });
});

describe("timers and external events", () => {
  it("cancels the timer that loses a Task.any to an event", async () => {
    const id = await client.startId("Race", 60_000);
    await client.until(id, (s) => s.runtimeStatus === "Running");
    expect(await client.raise(id, "Approve", { by: "ops" })).toBe(202);
    const status = await client.finished(id);
    expect(status.output).toEqual({ approved: { by: "ops" } });
  });

  it("lets the timer win a Task.any when no event comes", async () => {
    const id = await client.startId("Race", 200);
    expect((await client.finished(id)).output).toBe("timed out");
  });

  it("completes an orchestration that ends with a week-long timer open", async () => {
    const id = await client.startId("OpenTimer");
    const status = await client.finished(id);
    expect(status.runtimeStatus).toBe("Completed");
    const timer = history(status).find((e) => e.EventType === "TimerCreated");
    expect(Date.parse(String(timer?.FireAt)) - Date.now()).toBeGreaterThan(6 * 24 * 3600 * 1000);
  });

  it("buffers events raised before the orchestrator waits, per name in raise order", async () => {
    const id = await client.startId("Events");
    expect(await client.raise(id, "A", "a1")).toBe(202);
    expect(await client.raise(id, "A", "a2")).toBe(202);
    expect(await client.raise(id, "B", "b1")).toBe(202);
    expect((await client.finished(id)).output).toEqual(["a1", "b1", "a2"]);
  });

  it("keeps events raised while the instance is still Pending", async () => {
    const id = await client.startId("Events", undefined, "held-pending-1");
    expect((await client.status(id)).body.runtimeStatus).toBe("Pending");
    for (const [name, value] of [
      ["A", "a1"],
      ["B", "b1"],
      ["A", "a2"],
    ]) {
      expect(await client.raise(id, name as string, value)).toBe(202);
    }
    expect((await client.status(id)).body.runtimeStatus).toBe("Pending");
    writeFileSync(path.join(scratch, `release-${id}`), "");
    expect((await client.finished(id)).output).toEqual(["a1", "b1", "a2"]);
  });

  it("keeps buffered events across continueAsNew", async () => {
    const id = await client.startId("Continue");
    for (const n of [1, 2, 3]) expect(await client.raise(id, "Next", n)).toBe(202);
    expect((await client.finished(id)).output).toEqual([1, 2, 3]);
  });
});

describe("failures", () => {
  it("fails with the message of a non-Error thrown before the first yield", async () => {
    const id = await client.startId("ThrowString");
    const status = await client.finished(id);
    expect(status.runtimeStatus).toBe("Failed");
    expect(status.output).toContain("a plain string, not an Error");
  });

  it("fails with message and stack of an Error thrown after a yield, logged once", async () => {
    const id = await client.startId("ThrowAfterYield");
    const status = await client.finished(id);
    expect(status.runtimeStatus).toBe("Failed");
    expect(status.output).toContain("thrown after the first yield");
    expect(status.output).toMatch(/\n\s+at /);
    await eventually(() => host.lines.some((l) => l.includes(`instance '${id}') failed`)));
    expect(host.lines.filter((l) => l.includes(`instance '${id}') failed`))).toHaveLength(1);
  });
});

describe("management API", () => {
  it("answers 202 with Location and Retry-After while running, in ISO 8601 UTC", async () => {
    const id = await client.startId("Events");
    const s = await client.status(id);
    expect(s.status).toBe(202);
    expect(s.headers.get("location")).toContain(`/runtime/webhooks/durabletask/instances/${id}`);
    expect(s.headers.get("retry-after")).toBe("10");
    expect(s.body.createdTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(await client.terminate(id, "done testing")).toBe(202);
    const done = await client.finished(id);
    expect(done.runtimeStatus).toBe("Terminated");
    expect(done.output).toBe("done testing");
    expect(await client.terminate(id, "again")).toBe(410);
    expect(await client.raise(id, "A", 1)).toBe(410);
  });

  it("refuses every call without the system key, so a raised event never lands", async () => {
    const id = await client.startId("Events");
    const base = client.base;
    const refused = [
      await fetch(`${base}/instances`),
      await fetch(`${base}/instances/${id}`, { headers: { "x-functions-key": "wrong" } }),
      await fetch(`${base}/instances/${id}/raiseEvent/A?code=wrong`, {
        method: "POST",
        body: "1",
      }),
      await fetch(`${base}/instances/${id}/raiseEvent/A`, { method: "POST", body: "1" }),
      await fetch(`${base}/instances/${id}/terminate?reason=x`, { method: "POST" }),
      await fetch(`${base}/orchestrators/Chain`, { method: "POST", body: '["x"]' }),
      await fetch(`${base}/instances/${id}`, { method: "DELETE" }),
    ];
    for (const res of refused) {
      expect(res.status).toBe(401);
      expect(await res.text()).toBe("");
    }
    // The instance never saw the events: raising them with the key now is the first delivery.
    expect(await client.raise(id, "A", 1)).toBe(202);
    expect(await client.raise(id, "B", 2)).toBe(202);
    expect(await client.raise(id, "A", 3)).toBe(202);
    expect((await client.finished(id)).output).toEqual([1, 2, 3]);
  });

  it("answers 404 for unknown instances and 400 for unknown orchestrators", async () => {
    expect((await client.status("no-such-instance")).status).toBe(404);
    expect(await client.raise("no-such-instance", "A", 1)).toBe(404);
    expect(await client.terminate("no-such-instance", "x")).toBe(404);
    expect((await client.start("NoSuchOrchestrator")).status).toBe(400);
  });

  it("starts with a chosen id, 409 while that id runs, and returns the check-status payload", async () => {
    const first = await client.start("Events", undefined, "chosen-id-1");
    expect(first.status).toBe(202);
    expect(first.body.id).toBe("chosen-id-1");
    expect(first.headers.get("location")).toBe(first.body.statusQueryGetUri);
    for (const key of [
      "statusQueryGetUri",
      "sendEventPostUri",
      "terminatePostUri",
      "purgeHistoryDeleteUri",
    ]) {
      expect(String(first.body[key])).toContain("chosen-id-1");
    }
    expect((await client.start("Events", undefined, "chosen-id-1")).status).toBe(409);
    await client.terminate("chosen-id-1", "cleanup");
  });

  it("purges only finished instances", async () => {
    const id = await client.startId("Events");
    const purge = (): Promise<Response> =>
      fetch(`${client.base}/instances/${id}`, {
        method: "DELETE",
        headers: { "x-functions-key": host.systemKey },
      });
    expect((await purge()).status).toBe(412);
    await client.terminate(id, "x");
    await client.finished(id);
    const res = await purge();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ instancesDeleted: 1 });
    expect((await client.status(id)).status).toBe(404);
    expect((await purge()).status).toBe(404);
  });

  it("lists with runtimeStatus, instanceIdPrefix, created-time filters and continuation tokens", async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const ids = ["list-a-1", "list-a-2", "list-a-3"];
    for (const id of ids) await client.startId("Chain", ["x"], id);
    for (const id of ids) await client.finished(id);
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const res: Response = await fetch(
        `${client.base}/instances?runtimeStatus=Completed,Failed&instanceIdPrefix=list-a-&top=2&createdTimeFrom=${since}`,
        {
          headers: {
            "x-functions-key": host.systemKey,
            ...(token ? { "x-ms-continuation-token": token } : {}),
          },
        },
      );
      expect(res.status).toBe(200);
      const page = (await res.json()) as Array<{ instanceId: string; runtimeStatus: string }>;
      expect(page.length).toBeLessThanOrEqual(2);
      seen.push(...page.map((p) => p.instanceId));
      token = res.headers.get("x-ms-continuation-token");
      pages++;
    } while (token && pages < 10);
    expect(seen.sort()).toEqual(ids);
    expect(pages).toBeGreaterThanOrEqual(2);
    const future = await fetch(
      `${client.base}/instances?instanceIdPrefix=list-a-&createdTimeFrom=${new Date(Date.now() + 60_000).toISOString()}&code=${host.systemKey}`,
    );
    expect(await future.json()).toEqual([]);
    const running = await fetch(
      `${client.base}/instances?instanceIdPrefix=list-a-&runtimeStatus=Running&code=${host.systemKey}`,
    );
    expect(await running.json()).toEqual([]);
  });
});

describe("df.getClient(context)", () => {
  async function op(name: string, body: unknown): Promise<Response> {
    return fetch(`${host.baseUrl}/api/client/${name}`, {
      method: "POST",
      body: JSON.stringify(body),
    });
  }

  it("starts, waits, reads status, raises, terminates, lists and purges", async () => {
    const started = await op("start", { name: "Events", instanceId: "client-1" });
    expect(started.status).toBe(202);
    const payload = (await started.json()) as Record<string, string>;
    expect(payload.id).toBe("client-1");
    expect(payload.statusQueryGetUri).toContain(
      `${host.baseUrl}/runtime/webhooks/durabletask/instances/client-1`,
    );
    // The check-status URLs carry the system key, as Azure's do: usable as they are.
    expect(new URL(payload.statusQueryGetUri!).searchParams.get("code")).toBe(host.systemKey);
    expect([200, 202]).toContain((await fetch(payload.statusQueryGetUri!)).status);
    for (const [event, value] of [
      ["A", 1],
      ["B", 2],
      ["A", 3],
    ] as const) {
      expect((await op("raise", { instanceId: "client-1", event, input: value })).status).toBe(202);
    }
    const waited = await op("wait", { instanceId: "client-1" });
    expect(waited.status).toBe(200);
    expect(await waited.json()).toEqual([1, 2, 3]);
    const status = (await (await op("status", { instanceId: "client-1" })).json()) as Record<
      string,
      unknown
    >;
    expect(status.runtimeStatus).toBe("Completed");
    expect(Array.isArray(status.history)).toBe(true);
    const listed = (await (await op("list", { prefix: "client-" })).json()) as Array<{
      instanceId: string;
    }>;
    expect(listed.map((s) => s.instanceId)).toContain("client-1");
    expect(await (await op("purge", { instanceId: "client-1" })).json()).toEqual({
      instancesDeleted: 1,
    });

    expect((await op("startAndRaise", { instanceId: "client-3" })).status).toBe(200);
    expect((await client.finished("client-3")).output).toEqual(["a1", "b1", "a2"]);

    await op("start", { name: "Events", instanceId: "client-2" });
    expect((await op("terminate", { instanceId: "client-2", reason: "stop" })).status).toBe(202);
    expect((await client.finished("client-2")).runtimeStatus).toBe("Terminated");
  });
});
