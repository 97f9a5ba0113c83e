/**
 * Decides when each instance's next episode runs: a ready queue served by a bounded number of
 * episode slots (`maxConcurrentOrchestratorFunctions`), one episode at a time per instance
 * (asked again while one runs, it runs once more after it), wake-ups for messages that are
 * not due yet (timers) and a retry a second after a failed episode. It also tracks the work
 * in flight, so that stopping waits for it.
 */
import { Semaphore } from "./semaphore";

export interface EpisodeSchedulerOptions {
  maxConcurrentEpisodes: number;
  /** Whether this host runs the instance now (it holds its partition); true by default. */
  runnable?(instanceId: string): boolean;
  runEpisode(instanceId: string): Promise<void>;
  /** An episode threw; the scheduler runs the instance again a second later. */
  episodeFailed(instanceId: string, error: unknown): void;
}

/** The longest delay `setTimeout` takes; later wake-ups are re-armed until they are due. */
const MAX_TIMEOUT_MS = 2_147_483_647;
const RETRY_DELAY_MS = 1000;
const DRAIN_POLL_MS = 20;
/** How long a hand-over waits for the partition's activities before it lets them run on. */
const ACTIVITY_DRAIN_MS = 10_000;

export class EpisodeScheduler {
  private readonly slots: Semaphore;
  private readonly ready: string[] = [];
  private readonly queued = new Set<string>();
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  private readonly armed = new Map<string, NodeJS.Timeout>();
  /** Work in flight, with the instance it belongs to (episodes, activities). */
  private readonly inFlight = new Map<Promise<void>, string | undefined>();
  private halted = false;

  constructor(private readonly options: EpisodeSchedulerOptions) {
    this.slots = new Semaphore(Math.max(1, options.maxConcurrentEpisodes));
  }

  get stopped(): boolean {
    return this.halted;
  }

  /** Runs an episode of the instance soon; while one runs, once more after it. */
  schedule(instanceId: string): void {
    if (this.halted || !this.runnable(instanceId)) return;
    if (this.running.has(instanceId)) {
      this.again.add(instanceId);
      return;
    }
    if (this.queued.has(instanceId)) return;
    this.queued.add(instanceId);
    this.ready.push(instanceId);
    this.pump();
  }

  /** Schedules the instance when its message (a timer) becomes visible at `at` (epoch ms). */
  wakeAt(instanceId: string, messageKey: string, at: number): void {
    this.arm(`${instanceId}|${messageKey}`, instanceId, at);
  }

  /** Drops the wake-up for a message that will not be delivered (a cancelled timer). */
  cancelWake(instanceId: string, messageKey: string): void {
    const key = `${instanceId}|${messageKey}`;
    const handle = this.armed.get(key);
    if (handle) clearTimeout(handle);
    this.armed.delete(key);
  }

  /** Counts work as in flight until it settles (`stop` and `drain` wait for it). */
  track(work: Promise<void>, instanceId?: string): void {
    this.inFlight.set(work, instanceId);
    void work.finally(() => this.inFlight.delete(work));
  }

  /**
   * Resolves once no episode of a matching instance runs, and none of their other work (the
   * activities) either or `ACTIVITY_DRAIN_MS` have passed: an activity left running answers
   * through storage, and at worst runs again on the next owner (activities are at least once).
   */
  async drain(matches: (instanceId: string) => boolean): Promise<void> {
    const until = Date.now() + ACTIVITY_DRAIN_MS;
    const busy = (): boolean =>
      [...this.running].some(matches) ||
      (Date.now() < until &&
        [...this.inFlight.values()].some((id) => id !== undefined && matches(id)));
    while (busy()) await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
  }

  private runnable(instanceId: string): boolean {
    return this.options.runnable?.(instanceId) ?? true;
  }

  /** Runs nothing more and waits for the work in flight. */
  async stop(): Promise<void> {
    this.halted = true;
    for (const t of this.armed.values()) clearTimeout(t);
    this.armed.clear();
    this.ready.length = 0;
    this.queued.clear();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.keys()]);
  }

  private pump(): void {
    while (this.ready.length > 0 && !this.halted) {
      if (!this.slots.tryAcquire()) return;
      const id = this.ready.shift() as string;
      this.queued.delete(id);
      // Its partition went to another host while it waited: that host runs it.
      if (!this.runnable(id)) {
        this.slots.release();
        continue;
      }
      this.running.add(id);
      this.track(
        this.options
          .runEpisode(id)
          .catch((error: unknown) => {
            this.options.episodeFailed(id, error);
            this.arm(`${id}|retry`, id, Date.now() + RETRY_DELAY_MS);
          })
          .finally(() => {
            this.running.delete(id);
            this.slots.release();
            if (this.again.delete(id)) this.schedule(id);
            this.pump();
          }),
        id,
      );
    }
  }

  private arm(key: string, instanceId: string, at: number): void {
    if (this.halted || this.armed.has(key)) return;
    const delay = Math.max(0, Math.min(at - Date.now(), MAX_TIMEOUT_MS));
    const handle = setTimeout(() => {
      this.armed.delete(key);
      if (Date.now() < at) this.arm(key, instanceId, at);
      else this.schedule(instanceId);
    }, delay);
    handle.unref();
    this.armed.set(key, handle);
  }
}
