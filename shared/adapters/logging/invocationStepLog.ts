import type { StepLog } from "../../ports/stepLog";
import { formatStepLine } from "./stepLine";

/**
 * The part of a Functions `InvocationContext` a step log writes to. `context.info` and
 * `context.warn` go to the host as the invocation's user log: the local host prints them with
 * time, level, function name and invocation id (text or JSON per LOG_FORMAT); in Azure they
 * land in `traces` with the invocation's InvocationId and operation_Id. `console` would reach
 * neither.
 */
export interface InvocationLogSink {
  info(message: string): void;
  warn(message: string): void;
}

/** A step log over one invocation's context (build it per invocation, in `functions/`). */
export function createInvocationStepLog(context: InvocationLogSink): StepLog {
  return {
    info: (fields) => context.info(formatStepLine(fields)),
    warn: (fields) => context.warn(formatStepLine(fields)),
  };
}
