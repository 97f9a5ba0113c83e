import { EpisodeScheduler } from "./episodeScheduler";
import { timerKey } from "./inboxMessages";

const DAY_MS = 24 * 3600 * 1000;

function scheduler(runEpisode: (id: string) => Promise<void>, failed: unknown[] = []) {
  return new EpisodeScheduler({
    maxConcurrentEpisodes: 2,
    runEpisode,
    episodeFailed: (_id, error) => void failed.push(error),
  });
}

describe("EpisodeScheduler", () => {
  afterEach(() => jest.useRealTimers());

  it("fires a timer further away than setTimeout can wait (40 days), not before it is due", () => {
    jest.useFakeTimers({ now: new Date("2026-01-01T00:00:00Z") });
    const scheduled: string[] = [];
    const s = scheduler((id) => Promise.resolve(void scheduled.push(id)));
    s.wakeAt("i1", timerKey(0, 0), Date.now() + 40 * DAY_MS);
    jest.advanceTimersByTime(39 * DAY_MS);
    expect(scheduled).toEqual([]);
    jest.advanceTimersByTime(1 * DAY_MS + 1);
    expect(scheduled).toEqual(["i1"]);
  });

  it("runs one episode of an instance at a time, and once more when asked while it ran", async () => {
    const started: string[] = [];
    const finish: Array<() => void> = [];
    const s = scheduler((id) => {
      started.push(id);
      return new Promise<void>((resolve) => finish.push(resolve));
    });
    s.schedule("i1");
    s.schedule("i1");
    s.schedule("i1");
    expect(started).toEqual(["i1"]);
    finish.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(["i1", "i1"]);
    finish.shift()?.();
    await s.stop();
    expect(started).toEqual(["i1", "i1"]);
  });

  it("runs an instance again a second after its episode failed", async () => {
    jest.useFakeTimers({ now: new Date("2026-01-01T00:00:00Z") });
    const failed: unknown[] = [];
    let runs = 0;
    const s = scheduler(() => {
      runs++;
      return runs === 1 ? Promise.reject(new Error("storage down")) : Promise.resolve();
    }, failed);
    s.schedule("i1");
    await jest.advanceTimersByTimeAsync(999);
    expect(failed).toEqual([new Error("storage down")]);
    expect(runs).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(runs).toBe(2);
  });
});
