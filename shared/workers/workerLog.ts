/**
 * The workers' structured log: one JSON object per line, the same field names as the
 * saga's step lines (orderId, correlationId, step, outcome, durationMs) so the operators'
 * workbook joins them. Never card data or secrets.
 */
export interface WorkerLogger {
  info(fields: WorkerLogFields): void;
  warn(fields: WorkerLogFields): void;
}

export interface WorkerLogFields {
  readonly orderId: string;
  readonly correlationId: string;
  readonly step: string;
  readonly outcome: string;
  readonly durationMs?: number;
  readonly [more: string]: unknown;
}

/** Writes through a Functions `InvocationContext`-like log, or the console. */
export function createWorkerLogger(sink?: {
  log(...args: unknown[]): void;
  warn(...args: unknown[]): void;
}): WorkerLogger {
  const out = sink ?? console;
  return {
    info: (fields) => out.log(JSON.stringify(fields)),
    warn: (fields) => out.warn(JSON.stringify(fields)),
  };
}
