import type { TimerQueue } from "./timerQueue";

/** Entity settings after the topology's ISO durations are turned into milliseconds. */
export interface StoreOptions {
  readonly lockDurationMs: number;
  readonly maxDeliveryCount: number;
  readonly defaultTtlMs: number;
  readonly deadLetterOnExpiration: boolean;
  readonly requiresSession: boolean;
  readonly forwardTo: string | undefined;
}

/** What every store of one broker shares: the deadline queue and the clock. */
export interface StoreContext {
  readonly timers: TimerQueue;
  readonly now: () => number;
}
