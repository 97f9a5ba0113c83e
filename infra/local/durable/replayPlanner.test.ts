import {
  eventRaised,
  executionStarted,
  taskCompleted,
  taskFailed,
  taskScheduled,
  timerCreated,
} from "./historyEvents";
import { HistoryEventType, type HistoryEvent, type WireAction } from "./protocol";
import { flattenActions, planTurn, unconsumedEvents } from "./replayPlanner";
import { retryDelayInMs } from "./retryPolicy";

const T0 = "2026-01-01T00:00:00.000Z";

/** An event of an earlier episode, as the history holds it. */
function played(event: HistoryEvent): HistoryEvent {
  return { ...event, IsPlayed: true };
}

function plan(
  history: HistoryEvent[],
  delivered: HistoryEvent[],
  actions: WireAction[][],
  isDone = false,
) {
  return planTurn({
    orchestrationName: "Orch",
    instanceId: "i1",
    history,
    delivered,
    state: { isDone, actions, output: isDone ? "out" : undefined },
    now: new Date("2026-01-01T00:00:10.000Z"),
  });
}

describe("retryDelayInMs", () => {
  const policy = {
    firstRetryIntervalInMilliseconds: 100,
    maxNumberOfAttempts: 5,
    backoffCoefficient: 2,
  };

  it("grows by the backoff coefficient", () => {
    expect([1, 2, 3].map((n) => retryDelayInMs(policy, n, 0))).toEqual([100, 200, 400]);
  });

  it("is capped by the maximum interval", () => {
    expect(retryDelayInMs({ ...policy, maxRetryIntervalInMilliseconds: 150 }, 3, 0)).toBe(150);
  });

  it("is zero once attempts or the retry timeout are used up", () => {
    expect(retryDelayInMs(policy, 5, 0)).toBe(0);
    expect(retryDelayInMs({ ...policy, retryTimeoutInMilliseconds: 1000 }, 1, 1000)).toBe(0);
  });
});

describe("flattenActions", () => {
  it("flattens Task.all/Task.any trees in order", () => {
    const a = { actionType: 0, functionName: "a" };
    const b = { actionType: 0, functionName: "b" };
    const c = { actionType: 5, fireAt: T0 };
    expect(
      flattenActions([
        [{ actionType: 12, compoundActions: [a, { actionType: 11, compoundActions: [b, c] }] }],
      ]),
    ).toEqual([a, b, c]);
  });
});

describe("unconsumedEvents", () => {
  it("keeps the events no wait took, per name in raise order", () => {
    const raised = ["A1", "B1", "A2", "A3"].map((v) => played(eventRaised(T0, v[0] ?? "", v)));
    const rest = unconsumedEvents(raised, new Map([["A", 1]]));
    expect(rest.map((e) => e.Input)).toEqual(["B1", "A2", "A3"]);
  });
});

describe("planTurn", () => {
  const started = executionStarted(T0, "Orch", "null");
  const scheduledA = played(taskScheduled(T0, 0, { name: "a", input: "null" }));
  const timer = played(timerCreated(T0, 0, T0));

  it("schedules new activities and timers with consecutive sequence ids", () => {
    const p = plan(
      [],
      [started],
      [
        [
          { actionType: 0, functionName: "a", input: 1 },
          { actionType: 5, fireAt: T0 },
        ],
      ],
    );
    expect(p.activities).toEqual([{ id: 0, name: "a", input: "1" }]);
    expect(p.timers).toEqual([{ id: 1, fireAt: T0 }]);
    expect(p.outcome).toEqual({ kind: "running" });
  });

  it("keeps actions already in the history and numbers new ones after them", () => {
    const history = [started, scheduledA];
    const done = taskCompleted(T0, 0, "1");
    const p = plan(
      history,
      [done],
      [[{ actionType: 0, functionName: "a" }], [{ actionType: 0, functionName: "b" }]],
    );
    expect(p.activities).toEqual([{ id: 1, name: "b", input: "null" }]);
  });

  it("fails when a replayed step differs from the history", () => {
    const history = [started, scheduledA];
    const p = plan(history, [], [[{ actionType: 0, functionName: "b" }]]);
    expect(p.outcome.kind).toBe("failed");
    expect(p.outcome.kind === "failed" && p.outcome.message).toContain("at step 1 (sequence id 0)");
  });

  it("fails when a step of the history is no longer scheduled", () => {
    const history = [started, timer];
    const p = plan(history, [], [], true);
    expect(p.outcome.kind === "failed" && p.outcome.message).toContain("no longer calls it");
  });

  it("cancels a timer the orchestrator cancelled", () => {
    const history = [started, timer];
    const p = plan(history, [], [[{ actionType: 5, fireAt: T0, isCanceled: true }]]);
    expect(p.cancelledTimers).toEqual([0]);
  });

  it("answers a failed retry attempt with a retry timer after the new actions", () => {
    const retry = { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 3 };
    const history = [started, played(taskScheduled(T0, 0, { name: "a", input: "null", retry }))];
    const failed = taskFailed(T0, 0, { reason: "x", details: "" });
    const p = plan(
      history,
      [failed],
      [[{ actionType: 1, functionName: "a", retryOptions: retry }]],
    );
    expect(p.timers).toEqual([{ id: 1, fireAt: "2026-01-01T00:00:11.000Z" }]);
    expect(p.appended[0]).toMatchObject({
      EventType: HistoryEventType.TimerCreated,
      EventId: 1,
      RetryOf: 0,
    });
  });

  it("continues as new with the carried events", () => {
    const raised = { ...eventRaised(T0, "E", "1"), Message: "e-1" };
    const p = plan([started], [raised], [[{ actionType: 4, input: { n: 1 } }]], true);
    expect(p.outcome).toEqual({
      kind: "continuedAsNew",
      input: '{"n":1}',
      carriedEvents: [raised],
    });
  });

  it("refuses entity and HTTP actions it does not support", () => {
    const p = plan([started], [], [[{ actionType: 8 }]]);
    expect(p.outcome.kind === "failed" && p.outcome.message).toContain("callHttp");
  });
});
