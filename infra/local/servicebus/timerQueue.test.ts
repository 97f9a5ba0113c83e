import { TimerQueue } from "./timerQueue";
import { waitFor } from "./testing/topology";

describe("TimerQueue", () => {
  it("runs entries in time order and skips cancelled ones", async () => {
    const timers = new TimerQueue();
    const ran: string[] = [];
    const now = Date.now();
    timers.schedule(now + 60, () => ran.push("c"));
    timers.schedule(now + 20, () => ran.push("a"));
    const cancelled = timers.schedule(now + 30, () => ran.push("x"));
    timers.schedule(now + 40, () => ran.push("b"));
    timers.cancel(cancelled);
    await waitFor(() => ran.length === 3, "three timers");
    expect(ran).toEqual(["a", "b", "c"]);
    timers.close();
  });

  it("compacts when most entries are cancelled, and still runs the live ones", async () => {
    const timers = new TimerQueue();
    const far = Date.now() + 3_600_000;
    const handles = Array.from({ length: 5000 }, () => timers.schedule(far, () => undefined));
    let fired = false;
    timers.schedule(Date.now() + 10, () => (fired = true));
    for (const h of handles) timers.cancel(h);
    expect((timers as unknown as { heap: { size: number } }).heap.size).toBeLessThan(2500);
    await waitFor(() => fired, "the live timer");
    timers.close();
  });
});
