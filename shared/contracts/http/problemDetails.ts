import { z } from "zod";

/** Media type of every error body (RFC 9457 §3). */
export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/**
 * Problem `type` URIs. RFC 9457 allows a relative reference; these name the kinds of error
 * a client may branch on. Statuses without a specific kind use "about:blank".
 */
export const PROBLEM_TYPES = {
  validation: "/problems/validation-error",
  unknownSku: "/problems/unknown-sku",
  idempotencyConflict: "/problems/idempotency-key-reused",
  invalidState: "/problems/invalid-order-status",
  insufficientStock: "/problems/stock-below-reserved",
  holdLimitExceeded: "/problems/hold-limit-exceeded",
  blank: "about:blank",
} as const;

/** One field-level validation issue: `path` like `items[0].quantity`. */
export const FieldErrorSchema = z.object({
  path: z.string(),
  message: z.string(),
});
export type FieldError = z.infer<typeof FieldErrorSchema>;

/** An RFC 9457 problem, plus `errors` for validation failures (docs/http-api.md). */
export const ProblemDetailsSchema = z.object({
  type: z.string().min(1),
  title: z.string().min(1),
  status: z.number().int().min(400).max(599),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z.array(FieldErrorSchema).optional(),
});
export type ProblemDetails = z.infer<typeof ProblemDetailsSchema>;

/** Builds a problem body; `type` defaults to "about:blank" as RFC 9457 §4.2.1 says. */
export function problemDetails(
  problem: Omit<ProblemDetails, "type"> & { type?: string },
): ProblemDetails {
  return { ...problem, type: problem.type ?? PROBLEM_TYPES.blank };
}
