/**
 * Durations as a person types them on the command line or in a chaos plan: `200ms`, `15s`,
 * `2m`, `1.5s`, or a bare number of milliseconds.
 */
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const;

/** Milliseconds of `text`, or undefined when it is not a duration. */
export function parseFaultDuration(text: string | number): number | undefined {
  if (typeof text === "number") return Number.isFinite(text) && text >= 0 ? text : undefined;
  const m = DURATION.exec(text.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? "ms") as keyof typeof UNIT_MS;
  return Math.round(Number(m[1]) * UNIT_MS[unit]);
}

/** `1500` → `1.5s`, `200` → `200ms`, `120000` → `2m`: for logs and reports. */
export function formatFaultDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000) return `${Number((ms / 1000).toFixed(2))}s`;
  return `${ms}ms`;
}
