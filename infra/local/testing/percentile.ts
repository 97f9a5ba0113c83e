/**
 * Nearest-rank percentile of an ascending array (p in 0..100), the one definition every
 * benchmark reports with, so their p50/p99 figures compare. NaN when there is no sample.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ] as number;
}
