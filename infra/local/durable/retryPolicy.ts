/**
 * The retry options of `callActivityWithRetry` / `callSubOrchestratorWithRetry`, applied as
 * Durable applies them: the delay grows by the backoff coefficient up to the maximum
 * interval, and retrying ends after the maximum attempts or the retry timeout. Values at or
 * above `Number.MAX_SAFE_INTEGER` (the library's "no limit") and zero mean no limit.
 */
import type { RetryPolicy } from "./protocol";

function limited(value: number | undefined): value is number {
  return value !== undefined && value > 0 && value < Number.MAX_SAFE_INTEGER;
}

/** Whether the retry timeout has passed since the chain's first attempt. */
export function retryExpired(policy: RetryPolicy, elapsedMs: number): boolean {
  return (
    limited(policy.retryTimeoutInMilliseconds) && elapsedMs >= policy.retryTimeoutInMilliseconds
  );
}

/** Delay before the next attempt, as Durable computes it; 0 once attempts or time ran out. */
export function retryDelayInMs(policy: RetryPolicy, failures: number, elapsedMs: number): number {
  if (failures >= policy.maxNumberOfAttempts || retryExpired(policy, elapsedMs)) return 0;
  const coefficient = policy.backoffCoefficient ?? 1;
  const delay = policy.firstRetryIntervalInMilliseconds * Math.pow(coefficient, failures - 1);
  const max = policy.maxRetryIntervalInMilliseconds;
  return limited(max) ? Math.min(delay, max) : delay;
}
