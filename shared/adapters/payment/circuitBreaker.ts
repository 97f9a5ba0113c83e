export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  readonly failureThreshold: number;
  /** How long an open circuit refuses calls before letting one trial call through. */
  readonly openForInMs: number;
  readonly now: () => number;
}

/** How often a caller refused during another caller's half-open trial asks again. */
const TRIAL_POLL_IN_MS = 100;

/**
 * closed ─(threshold failures in a row)─► open ─(openForInMs)─► half-open
 * half-open: one trial call; success closes, failure opens again. While open, no call
 * reaches the gateway, so a down gateway is not hammered by every queued payment; callers
 * are refused and wait (`waitInMs`) rather than call.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;

  constructor(private readonly options: CircuitBreakerOptions) {}

  get state(): "closed" | "open" | "half-open" {
    if (this.openedAt === undefined) return "closed";
    return this.options.now() - this.openedAt >= this.options.openForInMs ? "half-open" : "open";
  }

  /**
   * How long a caller refused by {@link tryAcquire} should wait before asking again: the rest
   * of the open period, or a short poll while another caller's half-open trial is running.
   */
  waitInMs(): number {
    if (this.openedAt === undefined) return 0;
    const left = this.openedAt + this.options.openForInMs - this.options.now();
    return left > 0 ? left : Math.min(TRIAL_POLL_IN_MS, this.options.openForInMs);
  }

  /** Whether a call may go through now (claims the half-open trial). */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === "closed") return true;
    if (state === "open" || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.trialInFlight = false;
  }

  recordFailure(): void {
    this.trialInFlight = false;
    this.failures++;
    if (this.openedAt !== undefined || this.failures >= this.options.failureThreshold) {
      this.openedAt = this.options.now();
    }
  }

  /** A call that ended without telling us about the gateway's health (e.g. a decline). */
  recordNeutral(): void {
    this.trialInFlight = false;
  }
}
