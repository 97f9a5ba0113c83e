import type { StepLog } from "../ports/stepLog";

/** Where one step line comes from: the command it handles. */
export interface StepSubject {
  readonly subject: string;
  readonly correlationid: string;
  readonly type: string;
}

/**
 * Runs one worker step and writes its line to the invocation's step log, timed on the
 * worker's clock (not the process clock, so tests and replays control it). A step that
 * throws writes nothing: the platform logs the failed invocation and retries or dead-letters
 * the message.
 */
export async function logStep(
  log: StepLog,
  now: () => Date,
  command: StepSubject,
  run: () => Promise<string>,
): Promise<void> {
  const started = now().getTime();
  const outcome = await run();
  log.info({
    orderId: command.subject,
    correlationId: command.correlationid,
    step: command.type,
    outcome,
    durationMs: now().getTime() - started,
  });
}
