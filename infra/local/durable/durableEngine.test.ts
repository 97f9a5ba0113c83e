import { DurableEngine } from "./durableEngine";
import { DurableStore } from "./durableStore";

const DAY_MS = 24 * 3600 * 1000;

describe("DurableEngine timers", () => {
  afterEach(() => jest.useRealTimers());

  it("fires a timer further away than setTimeout can wait (40 days), not before it is due", () => {
    jest.useFakeTimers({ now: new Date("2026-01-01T00:00:00Z") });
    // The store is never reached: arming a timer only schedules the instance.
    const store = new DurableStore("UseDevelopmentStorage=true", "UnitHub");
    const engine = new DurableEngine({
      store,
      invoker: { invoke: () => Promise.reject(new Error("not used")) },
      functions: [],
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      maxConcurrentOrchestratorFunctions: 1,
      maxConcurrentActivityFunctions: 1,
    });
    const scheduled: string[] = [];
    jest.spyOn(engine, "schedule").mockImplementation((id: string) => void scheduled.push(id));
    const arm = (engine as unknown as { arm(key: string, id: string, at: number): void }).arm.bind(
      engine,
    );
    arm("i1|t-0-0", "i1", Date.now() + 40 * DAY_MS);
    jest.advanceTimersByTime(39 * DAY_MS);
    expect(scheduled).toEqual([]);
    jest.advanceTimersByTime(1 * DAY_MS + 1);
    expect(scheduled).toEqual(["i1"]);
  });
});
