export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  readonly failureThreshold: number;
  /** How long an open circuit fails fast before letting one trial call through. */
  readonly openForInMs: number;
  readonly now: () => number;
}

/**
 * closed ─(threshold failures in a row)─► open ─(openForInMs)─► half-open
 * half-open: one trial call; success closes, failure opens again. While open, calls fail
 * fast so a down gateway is not hammered by every queued payment (they are redelivered).
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
