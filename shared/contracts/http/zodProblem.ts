import type { z } from "zod";
import { PROBLEM_TYPES, problemDetails } from "./problemDetails";
import type { FieldError, ProblemDetails } from "./problemDetails";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Renders a zod issue path the way a JavaScript client would write it:
 * `["items", 0, "quantity"]` → `items[0].quantity`. The empty path (the value as a whole)
 * is "".
 */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === "number") return `${text}[${key}]`;
    const name = String(key);
    if (!IDENTIFIER.test(name)) return `${text}[${JSON.stringify(name)}]`;
    return text === "" ? name : `${text}.${name}`;
  }, "");
}

/**
 * One entry per offending field. An unknown-keys issue is split into one entry per unknown
 * field, so a client can point at each of them.
 */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue): FieldError[] => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        path: formatIssuePath([...issue.path, key]),
        message: "is not a known field",
      }));
    }
    return [{ path: formatIssuePath(issue.path), message: issue.message }];
  });
}

export interface ZodErrorToProblemOptions {
  /** What was validated, for the title and detail: "request body", "query", "headers". */
  readonly subject?: string;
  readonly status?: number;
  readonly instance?: string;
}

/**
 * Turns a ZodError into the 400 problem of API.md, naming every bad field in `detail` and
 * listing them with their messages in `errors`.
 */
export function zodErrorToProblem(
  error: z.ZodError,
  options: ZodErrorToProblemOptions = {},
): ProblemDetails {
  const subject = options.subject ?? "request body";
  const errors = fieldErrors(error);
  const fields = [...new Set(errors.map((entry) => entry.path || `(${subject})`))];
  return problemDetails({
    type: PROBLEM_TYPES.validation,
    title: `Invalid ${subject}`,
    status: options.status ?? 400,
    detail: `The ${subject} has invalid fields: ${fields.join(", ")}.`,
    ...(options.instance === undefined ? {} : { instance: options.instance }),
    errors,
  });
}
