import { startHostProcess } from "../testing/startHostProcess";
import { FIXTURE_APP_DIR, FIXTURE_APP_ENTRY, readJson } from "./testing/fixtureApp";
import type { FixtureState } from "./testing/fixture-app/state";

interface Tick {
  isPastDue: boolean;
  schedule: unknown;
  scheduleStatus: { last: string; next: string; lastUpdated: string };
}
import { LogWriter } from "./logger";
import { parseSchedule, resolveBindingExpression, startTimers } from "./timerTrigger";

describe("parseSchedule", () => {
  it("reads six-field NCRONTAB with seconds", () => {
    const next = parseSchedule("*/5 * * * * *").next(new Date("2026-01-01T00:00:01.000Z"));
    expect(next.toISOString()).toBe("2026-01-01T00:00:05.000Z");
  });

  it("reads a TimeSpan interval", () => {
    const next = parseSchedule("00:00:30").next(new Date("2026-01-01T00:00:00.000Z"));
    expect(next.toISOString()).toBe("2026-01-01T00:00:30.000Z");
  });

  it("rejects a five-field expression", () => {
    expect(() => parseSchedule("* * * * *")).toThrow(/six-field/);
  });
});

describe("resolveBindingExpression", () => {
  it("replaces %SETTING% and names a missing setting", () => {
    expect(resolveBindingExpression("%A% and %B%", { A: "1", B: "2" }, "here")).toBe("1 and 2");
    expect(() => resolveBindingExpression("%MISSING%", {}, "Timer x")).toThrow(
      /"MISSING" is not set/,
    );
  });
});

describe("timer trigger through the local host", () => {
  it("fires on its schedule with the Functions timer object", async () => {
    const host = await startHostProcess({
      entry: FIXTURE_APP_ENTRY,
      cwd: FIXTURE_APP_DIR,
      env: { FIXTURE_TIMER_SCHEDULE: "* * * * * *" },
    });
    try {
      await host.waitForLog(/Executed 'Functions\.tick' \(Succeeded/);
      const state = await readJson<FixtureState>(fetch(`${host.baseUrl}/api/state`));
      const tick = state.timerTicks[0] as unknown as Tick;
      expect(tick.isPastDue).toBe(false);
      expect(tick.schedule).toEqual({ adjustForDST: true });
      expect(Date.parse(tick.scheduleStatus.next)).toBeGreaterThan(
        Date.parse(tick.scheduleStatus.lastUpdated) - 1000,
      );
    } finally {
      await host.stop();
    }
  });

  it("runs once at start-up with runOnStartup, long before the schedule is due", async () => {
    const host = await startHostProcess({
      entry: FIXTURE_APP_ENTRY,
      cwd: FIXTURE_APP_DIR,
      env: { FIXTURE_TIMER_SCHEDULE: "0 0 0 1 1 *", FIXTURE_TIMER_RUN_ON_STARTUP: "true" },
    });
    try {
      await host.waitForLog(/Executed 'Functions\.tick' \(Succeeded/);
      const state = await readJson<FixtureState>(fetch(`${host.baseUrl}/api/state`));
      expect(state.timerTicks).toHaveLength(1);
    } finally {
      await host.stop();
    }
  });
});

describe("startTimers", () => {
  it("reports isPastDue when a tick runs well after its due time", async () => {
    let offsetMs = 0;
    const calls: Array<{ IsPastDue: boolean }> = [];
    const fn = {
      name: "late",
      triggerBindingName: "timer",
      triggerType: "timerTrigger",
      bindings: {
        timer: { type: "timerTrigger", direction: "in" as const, schedule: "* * * * * *" },
      },
    };
    let ticked: () => void = () => undefined;
    const firstTick = new Promise<void>((resolve) => (ticked = resolve));
    const timers = startTimers({
      functions: [fn],
      settings: {},
      log: new LogWriter({ write: () => undefined }),
      now: () => new Date(Date.now() + offsetMs),
      invoker: {
        invoke: (_fn, request) => {
          calls.push(JSON.parse(request.inputData[0]!.data.json!) as { IsPastDue: boolean });
          ticked();
          return Promise.resolve({ returnValue: null, outputData: [] });
        },
      },
    });
    // The clock jumps ahead after the tick was scheduled, as when the process was suspended.
    offsetMs = 10_000;
    await firstTick;
    await timers.stop();
    expect(calls[0]!.IsPastDue).toBe(true);
  });
});
