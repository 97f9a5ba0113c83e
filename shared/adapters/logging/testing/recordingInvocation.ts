import { format } from "node:util";
import { InvocationContext } from "@azure/functions";
import type { LogLevel } from "@azure/functions";
import type { StepFields, StepLog } from "../../../ports/stepLog";
import { createInvocationStepLog } from "../invocationStepLog";
import { parseStepLine } from "../stepLine";

export interface RecordedLine {
  readonly level: LogLevel;
  readonly message: string;
}

export interface RecordingInvocation {
  /** The library's own InvocationContext, its log captured (as the worker formats it). */
  readonly context: InvocationContext;
  /** A step log over `context`, as `functions/` builds one per invocation. */
  readonly log: StepLog;
  readonly lines: RecordedLine[];
  /** The step lines written so far, with their level. */
  steps(): Array<{ level: LogLevel; fields: StepFields }>;
}

let sequence = 0;

/** A real `@azure/functions` InvocationContext whose log lines are kept for the test. */
export function recordingInvocation(functionName = "testFunction"): RecordingInvocation {
  const lines: RecordedLine[] = [];
  const context = new InvocationContext({
    functionName,
    invocationId: `invocation-${++sequence}`,
    // The Functions worker joins a log call's arguments the same way (util.format).
    logHandler: (level, ...args) => lines.push({ level, message: format(...args) }),
  });
  return {
    context,
    log: createInvocationStepLog(context),
    lines,
    steps: () =>
      lines.flatMap(({ level, message }) => {
        const fields = parseStepLine(message);
        return fields ? [{ level, fields }] : [];
      }),
  };
}
