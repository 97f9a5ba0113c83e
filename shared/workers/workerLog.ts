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

/** Where one step line comes from: the command it handles. */
export interface StepSubject {
  readonly subject: string;
  readonly correlationid: string;
  readonly type: string;
}

/**
 * Runs one worker step and writes its line, timed on the worker's clock (not the process
 * clock, so tests and replays control it). A step that throws writes nothing: the platform
 * logs the failed invocation and retries or dead-letters the message.
 */
export async function logStep(
  logger: WorkerLogger,
  now: () => Date,
  command: StepSubject,
  run: () => Promise<string>,
): Promise<void> {
  const started = now().getTime();
  const outcome = await run();
  logger.info({
    orderId: command.subject,
    correlationId: command.correlationid,
    step: command.type,
    outcome,
    durationMs: now().getTime() - started,
  });
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
