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
  runEpisode(instanceId: string): Promise<void>;
  /** An episode threw; the scheduler runs the instance again a second later. */
  episodeFailed(instanceId: string, error: unknown): void;
}

/** The longest delay `setTimeout` takes; later wake-ups are re-armed until they are due. */
const MAX_TIMEOUT_MS = 2_147_483_647;
const RETRY_DELAY_MS = 1000;

export class EpisodeScheduler {
  private readonly slots: Semaphore;
  private readonly ready: string[] = [];
  private readonly queued = new Set<string>();
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  private readonly armed = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private halted = false;

  constructor(private readonly options: EpisodeSchedulerOptions) {
    this.slots = new Semaphore(Math.max(1, options.maxConcurrentEpisodes));
  }

  get stopped(): boolean {
    return this.halted;
  }

  /** Runs an episode of the instance soon; while one runs, once more after it. */
  schedule(instanceId: string): void {
    if (this.halted) return;
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

  /** Counts work as in flight until it settles (`stop` waits for it). */
  track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** Runs nothing more and waits for the work in flight. */
  async stop(): Promise<void> {
    this.halted = true;
    for (const t of this.armed.values()) clearTimeout(t);
    this.armed.clear();
    this.ready.length = 0;
    this.queued.clear();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private pump(): void {
    while (this.ready.length > 0 && !this.halted) {
      if (!this.slots.tryAcquire()) return;
      const id = this.ready.shift() as string;
      this.queued.delete(id);
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
