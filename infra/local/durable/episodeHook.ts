/**
 * Prepares one orchestrator invocation inside the programming model, before the handler runs.
 * - History timestamps become `Date`s: `durable-functions` advances `currentUtcDateTime` by
 *   comparing each `OrchestratorStarted` timestamp with a `Date`, which never holds for the
 *   ISO strings JSON carries, so without this the time would stay at the first episode's.
 * - The invocation's log methods count lines and drop the ones earlier episodes already
 *   wrote: replay is deterministic, so the first `skip` lines of an episode are exactly the
 *   lines written before, and each line reaches the log once.
 */
import type { FunctionHandler, InvocationContext } from "@azure/functions";
import type { EpisodeLogGate } from "./orchestratorInvoker";

const LOG_METHODS = ["log", "trace", "debug", "info", "warn", "error"] as const;

export function prepareEpisode(
  info: Record<string, unknown>,
  context: InvocationContext,
  gate: EpisodeLogGate,
): void {
  const history = info.history;
  if (Array.isArray(history)) {
    for (const event of history as Array<Record<string, unknown>>) {
      if (typeof event.Timestamp === "string") event.Timestamp = new Date(event.Timestamp);
    }
  }
  const target = context as unknown as Record<string, (...args: unknown[]) => void>;
  for (const method of LOG_METHODS) {
    const original = target[method];
    if (typeof original !== "function") continue;
    const bound = original.bind(context);
    target[method] = (...args: unknown[]) => {
      const index = gate.count++;
      if (index >= gate.skip) bound(...args);
    };
  }
}

/**
 * Wraps the orchestrator handler so that, when it fails, the value the orchestrator threw is
 * kept: the library reports only its message (and for a non-Error not even that), while the
 * executor behind `context.df` still holds the value itself.
 */
export function captureThrown(handler: FunctionHandler, gate: EpisodeLogGate): FunctionHandler {
  return async (...args: unknown[]) => {
    try {
      return await (handler as (...a: unknown[]) => unknown)(...args);
    } catch (error) {
      const context = args[args.length - 1] as {
        df?: { taskOrchestratorExecutor?: { exception?: unknown } };
      };
      const executor = context?.df?.taskOrchestratorExecutor;
      if (executor && "exception" in executor && executor.exception !== undefined) {
        gate.thrown = { value: executor.exception };
      }
      throw error;
    }
  };
}
