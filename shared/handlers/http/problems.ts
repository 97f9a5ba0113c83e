import type { z } from "zod";
import {
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPES,
  problemDetails,
  zodErrorToProblem,
  invalidFieldsDetail,
  type FieldError,
  type ProblemDetails,
} from "../../contracts";
import { safeJson, type ApiResponse } from "./apiTypes";

/** A handler's early exit with a problem+json answer; the boundary turns it into the response. */
export class ProblemResponse extends Error {
  constructor(
    readonly problem: ProblemDetails,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem.detail ?? problem.title);
    this.name = "ProblemResponse";
  }
}

export function problemResponse(
  problem: ProblemDetails,
  headers: Record<string, string> = {},
): ApiResponse {
  return {
    status: problem.status,
    headers: {
      "Content-Type": PROBLEM_CONTENT_TYPE,
      "X-Content-Type-Options": "nosniff",
      ...headers,
    },
    body: safeJson(problem),
  };
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** A problem of one of the statuses above, with "about:blank" unless `type` says otherwise. */
export function problem(
  status: number,
  detail: string,
  type?: string,
  errors?: readonly FieldError[],
): ProblemResponse {
  return new ProblemResponse(
    problemDetails({
      ...(type === undefined ? {} : { type }),
      title: TITLES[status] ?? "Error",
      status,
      detail,
      ...(errors === undefined ? {} : { errors: [...errors] }),
    }),
  );
}

export function validationProblem(error: z.ZodError, subject: string): ProblemResponse {
  return new ProblemResponse(zodErrorToProblem(error, { subject }));
}

/** A 400 for one field, in the same shape as zod's validation problems. */
export function fieldProblem(path: string, message: string, subject: string): ProblemResponse {
  return new ProblemResponse(
    problemDetails({
      type: PROBLEM_TYPES.validation,
      title: `Invalid ${subject}`,
      status: 400,
      detail: invalidFieldsDetail(subject, [{ path, message }]),
      errors: [{ path, message }],
    }),
  );
}
