/**
 * Fixture app for the Durable engine's tests: small orchestrators registered with
 * `df.app.*`, run by the local host exactly as an app's own are. Activities that tests count
 * append a line to a file under `DURABLE_FIXTURE_DIR`, so counts survive a host crash.
 */
import { appendFileSync, existsSync } from "node:fs";
import path from "node:path";
import { app, type HttpRequest, type InvocationContext } from "@azure/functions";
import * as df from "durable-functions";
import type { OrchestrationContext, OrchestrationHandler } from "durable-functions";

function record(kind: string, value: string): void {
  const dir = process.env.DURABLE_FIXTURE_DIR;
  if (dir) appendFileSync(path.join(dir, `${kind}.log`), `${value}\n`);
}

// Holds the first episode of instances named `held-*` until the test writes
// `release-<instanceId>` into the scratch directory: until then the instance stays Pending.
app.hook.preInvocation(async (ctx) => {
  if (ctx.invocationContext.options.trigger.type !== "orchestrationTrigger") return;
  const info = ctx.inputs[0] as { instanceId?: string };
  const id = info.instanceId ?? "";
  const dir = process.env.DURABLE_FIXTURE_DIR;
  if (!id.startsWith("held-") || !dir) return;
  while (!existsSync(path.join(dir, `release-${id}`))) await new Promise((r) => setTimeout(r, 20));
});

df.app.activity("Hello", { handler: (name: string) => `Hello ${name}` });

df.app.activity("Fail", {
  handler: (message: string) => {
    throw new Error(message);
  },
});

const flakyAttempts = new Map<string, number>();
df.app.activity("Flaky", {
  handler: (input: { key: string; failures: number }) => {
    const attempt = (flakyAttempts.get(input.key) ?? 0) + 1;
    flakyAttempts.set(input.key, attempt);
    record("flaky", `${input.key} ${attempt}`);
    if (attempt <= input.failures) throw new Error(`flaky failure ${attempt}`);
    return `ok after ${attempt}`;
  },
});

df.app.activity("Work", {
  handler: async (input: { key: string; ms: number }) => {
    record("work-start", input.key);
    await new Promise((r) => setTimeout(r, input.ms));
    record("work-done", input.key);
    return input.key;
  },
});

df.app.activity("Probe", {
  handler: async (ms: number) => {
    record("probe", "+");
    await new Promise((r) => setTimeout(r, ms));
    record("probe", "-");
    return ms;
  },
});

df.app.orchestration("ProbeFan", function* (context) {
  const n = context.df.getInput<number>();
  const tasks = [];
  for (let i = 0; i < n; i++) tasks.push(context.df.callActivity("Probe", 100));
  yield context.df.Task.all(tasks);
  return n;
});

const chain: OrchestrationHandler = function* (context: OrchestrationContext) {
  const names = context.df.getInput<string[] | null>() ?? ["Tokyo", "Seattle", "London"];
  const out: unknown[] = [];
  for (const n of names) out.push(yield context.df.callActivity("Hello", n));
  return out;
};
df.app.orchestration("Chain", chain);

df.app.orchestration("FanOut", function* (context) {
  const n = context.df.getInput<number>();
  const tasks = [];
  for (let i = 0; i < n; i++) tasks.push(context.df.callActivity("Hello", String(i)));
  const results = (yield context.df.Task.all(tasks)) as string[];
  return results.length;
});

df.app.orchestration("Retry", function* (context) {
  const input = context.df.getInput<{
    key: string;
    failures: number;
    attempts: number;
    timeoutMs?: number;
  }>();
  const options = new df.RetryOptions(50, input.attempts);
  options.backoffCoefficient = 2;
  options.maxRetryIntervalInMilliseconds = 120;
  if (input.timeoutMs) options.retryTimeoutInMilliseconds = input.timeoutMs;
  try {
    return (yield context.df.callActivityWithRetry("Flaky", options, {
      key: input.key,
      failures: input.failures,
    })) as string;
  } catch (error) {
    return { failed: (error as Error).message };
  }
});

df.app.orchestration("CatchFailure", function* (context) {
  try {
    yield context.df.callActivity("Fail", "activity exploded");
    return "not reached";
  } catch (error) {
    return { caught: (error as Error).message };
  }
});

df.app.orchestration("Timer", function* (context) {
  const before = context.df.currentUtcDateTime.toISOString();
  const ms = context.df.getInput<number>();
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + ms));
  return { before, after: context.df.currentUtcDateTime.toISOString() };
});

df.app.orchestration("Race", function* (context) {
  const ms = context.df.getInput<number>();
  const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + ms));
  const approval = context.df.waitForExternalEvent("Approve");
  const winner: unknown = yield context.df.Task.any([approval, timer]);
  if (winner === approval) {
    timer.cancel();
    return { approved: approval.result };
  }
  return "timed out";
});

df.app.orchestration("OpenTimer", function* (context) {
  // Ends while a week-long timer is still open: the instance must complete anyway.
  const timer = context.df.createTimer(
    new Date(context.df.currentUtcDateTime.getTime() + 7 * 24 * 3600 * 1000),
  );
  const hello = context.df.callActivity("Hello", "open timer");
  yield context.df.Task.any([hello, timer]);
  return hello.result;
});

df.app.orchestration("Events", function* (context) {
  const a1: unknown = yield context.df.waitForExternalEvent("A");
  const b: unknown = yield context.df.waitForExternalEvent("B");
  const a2: unknown = yield context.df.waitForExternalEvent("A");
  return [a1, b, a2];
});

df.app.orchestration("Continue", function* (context) {
  const state = context.df.getInput<{ seen: unknown[] }>() ?? { seen: [] };
  const value: unknown = yield context.df.waitForExternalEvent("Next");
  const seen = [...state.seen, value];
  if (seen.length < 3) {
    context.df.continueAsNew({ seen });
    return undefined;
  }
  return seen;
});

df.app.orchestration("ThrowString", function* () {
  // eslint-disable-next-line @typescript-eslint/only-throw-error
  throw "a plain string, not an Error";
  yield undefined as never;
});

df.app.orchestration("ThrowAfterYield", function* (context) {
  yield context.df.callActivity("Hello", "before the throw");
  throw new Error("thrown after the first yield");
});

df.app.orchestration("Status", function* (context) {
  const replayingAtStart = context.df.isReplaying;
  context.log("status orchestrator line one");
  const guids = [
    context.df.newGuid(context.df.instanceId),
    context.df.newGuid(context.df.instanceId),
  ];
  context.df.setCustomStatus({ step: "first" });
  yield context.df.callActivity("Hello", "one");
  context.log(`status orchestrator line two replaying=${context.df.isReplaying}`);
  context.df.setCustomStatus({ step: "second" });
  yield context.df.callActivity("Hello", "two");
  return { guids, replayingAtStart, replayingAtEnd: context.df.isReplaying };
});

let nondeterministicRuns = 0;
df.app.orchestration("Nondeterministic", function* (context) {
  nondeterministicRuns++;
  // The first episode schedules Hello; its replay schedules Fail at the same step.
  yield context.df.callActivity(nondeterministicRuns === 1 ? "Hello" : "Fail", "x");
  return "not reached";
});

df.app.orchestration("Parent", function* (context) {
  const child: unknown = yield context.df.callSubOrchestrator("Chain", ["a", "b"]);
  const options = new df.RetryOptions(50, 2);
  let failure = "";
  try {
    yield context.df.callSubOrchestratorWithRetry("ThrowAfterYield", options);
  } catch (error) {
    failure = (error as Error).message;
  }
  return { child, failure };
});

df.app.orchestration("Crashable", function* (context) {
  const key = context.df.getInput<string>();
  const results: unknown[] = [];
  for (let i = 0; i < 3; i++)
    results.push(yield context.df.callActivity("Work", { key: `${key}-${i}`, ms: 150 }));
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 300));
  return results;
});

const clientInput = df.input.durableClient();

/** Exercises `df.getClient(context)`: each operation of the client, chosen by the route. */
app.http("DurableClientOps", {
  route: "client/{op}",
  methods: ["POST"],
  extraInputs: [clientInput],
  handler: async (request: HttpRequest, context: InvocationContext) => {
    const client = df.getClient(context);
    const body = (await request.json()) as {
      name?: string;
      instanceId?: string;
      input?: unknown;
      event?: string;
      reason?: string;
      prefix?: string;
    };
    const id = body.instanceId ?? "";
    switch (request.params.op) {
      case "start": {
        const instanceId = await client.startNew(body.name ?? "", {
          instanceId: body.instanceId,
          input: body.input,
        });
        return client.createCheckStatusResponse(request, instanceId);
      }
      case "startAndRaise": {
        // Raised right after the start: usually while the instance is still Pending.
        const instanceId = await client.startNew("Events", { instanceId: body.instanceId });
        await client.raiseEvent(instanceId, "A", "a1");
        await client.raiseEvent(instanceId, "B", "b1");
        await client.raiseEvent(instanceId, "A", "a2");
        return { jsonBody: { instanceId } };
      }
      case "status":
        return {
          jsonBody: await client.getStatus(id, { showHistory: true, showHistoryOutput: true }),
        };
      case "raise":
        await client.raiseEvent(id, body.event ?? "", body.input);
        return { status: 202 };
      case "terminate":
        await client.terminate(id, body.reason ?? "");
        return { status: 202 };
      case "purge":
        return { jsonBody: await client.purgeInstanceHistory(id) };
      case "list":
        return {
          jsonBody: (
            await client.getStatusBy({ runtimeStatus: [df.OrchestrationRuntimeStatus.Completed] })
          ).filter((s) => s.instanceId.startsWith(body.prefix ?? "")),
        };
      case "wait":
        return client.waitForCompletionOrCreateCheckStatusResponse(request, id, {
          timeoutInMilliseconds: 5000,
          retryIntervalInMilliseconds: 100,
        });
      default:
        return { status: 404 };
    }
  },
});
