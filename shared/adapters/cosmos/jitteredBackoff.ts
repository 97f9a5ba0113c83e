/** Jittered exponential backoff, capped: spreads contending writers on a hot SKU. */
export function jitteredBackoff(
  baseInMs: number,
  capInMs: number,
): (attempt: number) => Promise<void> {
  return (attempt) => {
    const ceiling = Math.min(capInMs, baseInMs * 2 ** Math.min(attempt, 10));
    const delay = Math.random() * ceiling;
    return new Promise((resolve) => setTimeout(resolve, delay));
  };
}
