import type { HealthCheckResult, HealthResponse } from "../contracts";
import type { HealthProbe } from "../ports";
import type { ApiHandler } from "./http/apiTypes";
import { jsonResponse } from "./http/apiTypes";

export interface HealthDeps {
  readonly probes: readonly HealthProbe[];
  /** Each probe's bound; a slow dependency counts as down. */
  readonly timeoutInMs: number;
}

/** GET /api/health: 200 when every probe answers in time, else 503 naming the failing ones. */
export function createHealthHandler(deps: HealthDeps): ApiHandler {
  return async () => {
    const results = await Promise.all(
      deps.probes.map(async (probe) => {
        try {
          await withTimeout(probe, deps.timeoutInMs);
          return [probe.name, { status: "ok" as const }] as const;
        } catch (error) {
          return [
            probe.name,
            {
              status: "failed" as const,
              error: describeFailure(error),
            },
          ] as const;
        }
      }),
    );
    const failed = results.filter(([, result]) => result.status === "failed");
    const body: HealthResponse = {
      status: failed.length === 0 ? "ok" : "unavailable",
      checks: Object.fromEntries(results) as Record<string, HealthCheckResult>,
    };
    return jsonResponse(failed.length === 0 ? 200 : 503, body, { "Cache-Control": "no-store" });
  };
}

async function withTimeout(probe: HealthProbe, timeoutInMs: number): Promise<void> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Settle with the timeout first, so the report names it rather than the abort it causes.
      reject(new Error(`no answer within ${timeoutInMs} ms`));
      controller.abort();
    }, timeoutInMs);
  });
  try {
    await Promise.race([probe.check(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The SDKs sometimes throw with an empty message (a bare 404, an abort); name something. */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.message.trim() !== "") return error.message;
  const { code, statusCode } = error as { code?: string | number; statusCode?: number };
  const parts = [
    error.name,
    code === undefined ? undefined : `code ${String(code)}`,
    statusCode === undefined ? undefined : `status ${String(statusCode)}`,
  ].filter((part): part is string => part !== undefined);
  return parts.join(", ");
}
