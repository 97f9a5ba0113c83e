import { z } from "zod";

export const HealthCheckResultSchema = z.object({
  status: z.enum(["ok", "failed"]),
  /** Why the check failed, without secrets (no connection strings). */
  error: z.string().optional(),
});
export type HealthCheckResult = z.infer<typeof HealthCheckResultSchema>;

/**
 * Body of `GET /api/health`: 200 with status "ok" when every check passed, 503 with
 * status "unavailable" and the failing checks marked "failed" otherwise.
 */
export const HealthResponseSchema = z.object({
  status: z.enum(["ok", "unavailable"]),
  checks: z.record(z.string(), HealthCheckResultSchema),
});
export type HealthResponse = z.infer<typeof HealthResponseSchema>;
