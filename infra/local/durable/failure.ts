/**
 * Turns what an invocation rejected with into a message and details. The orchestrator
 * library wraps an orchestrator's failure as `message + "\n\n$OutOfProcData$:" + state` and
 * cannot wrap a thrown `undefined`/`null` at all (it reads `.stack` of it); the host wraps
 * either in its own invocation error with the original as `cause`.
 */
const OUT_OF_PROC = "\n\n$OutOfProcData$:";

export interface DescribedFailure {
  errorType: string;
  message: string;
  stack: string;
}

function unwrap(error: unknown): unknown {
  let current = error;
  for (let i = 0; i < 5; i++) {
    if (
      current instanceof Error &&
      current.name === "InvocationFailedError" &&
      current.cause !== undefined
    ) {
      current = current.cause;
    } else break;
  }
  return current;
}

export function describeThrown(error: unknown): DescribedFailure {
  const thrown = unwrap(error);
  if (thrown instanceof Error) {
    let message = thrown.message;
    const cut = message.indexOf(OUT_OF_PROC);
    if (cut >= 0) message = message.slice(0, cut);
    if (
      thrown instanceof TypeError &&
      /reading 'stack'/.test(message) &&
      /OrchestrationFailureError/.test(thrown.stack ?? "")
    ) {
      return {
        errorType: "Error",
        message: "The orchestrator threw a value that is not an Error (undefined or null).",
        stack: "",
      };
    }
    const stack = (thrown.stack ?? "").replace(thrown.message, message);
    return { errorType: thrown.name === "Error" ? "Error" : thrown.name, message, stack };
  }
  const text = typeof thrown === "string" ? thrown : (JSON.stringify(thrown) ?? String(thrown));
  return { errorType: typeof thrown, message: text, stack: "" };
}

/** The orchestration state an orchestrator failure carried, when it carried one. */
export function stateOfFailure(error: unknown): unknown {
  const thrown = unwrap(error);
  if (!(thrown instanceof Error)) return undefined;
  const cut = thrown.message.indexOf(OUT_OF_PROC);
  if (cut < 0) return undefined;
  try {
    return JSON.parse(thrown.message.slice(cut + OUT_OF_PROC.length)) as unknown;
  } catch {
    return undefined;
  }
}
