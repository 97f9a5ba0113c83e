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
    return [{ path: formatIssuePath(issue.path), message: friendlyMessage(issue) }];
  });
}

/** zod's own wording starts like this; a schema's custom messages never do. */
const ZOD_DEFAULT_MESSAGE = /^Invalid (input|option)\b/;

const TYPE_NAMES: Partial<Record<string, string>> = {
  number: "a number",
  int: "a whole number",
  string: "text",
  boolean: "true or false",
  object: "an object",
  array: "an array",
};

/**
 * zod's defaults ("Invalid input: expected number, received NaN") read like a stack trace to
 * an API client; they become the same "is …"/"must be …" phrases the schemas use, so every
 * `errors[].message` completes the sentence "<path> …".
 */
function friendlyMessage(issue: z.core.$ZodIssue): string {
  if (!ZOD_DEFAULT_MESSAGE.test(issue.message)) return issue.message;
  if (issue.code === "invalid_type") {
    // zod does not keep the input on the issue; its message is the only trace of "absent".
    if (issue.message.endsWith("received undefined")) return "is required";
    return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
  }
  if (issue.code === "invalid_value") {
    return `must be one of: ${issue.values.map((value) => String(value)).join(", ")}`;
  }
  return "is not valid";
}

/**
 * The `detail` sentence for field errors. A problem with the value as a whole (path "")
 * reads as one sentence ("The request body is not valid JSON."); otherwise the fields are
 * listed, the whole value, if among them, as "(subject)".
 */
export function invalidFieldsDetail(subject: string, errors: readonly FieldError[]): string {
  const first = errors[0];
  if (first !== undefined && errors.every((entry) => entry.path === "")) {
    return `The ${subject} ${first.message}.`;
  }
  const fields = [...new Set(errors.map((entry) => entry.path || `(${subject})`))];
  // "headers" is plural; "query" and "request body" are not.
  const verb = subject.endsWith("s") ? "have" : "has";
  return `The ${subject} ${verb} invalid fields: ${fields.join(", ")}.`;
}

export interface ZodErrorToProblemOptions {
  /** What was validated, for the title and detail: "request body", "query", "headers". */
  readonly subject?: string;
  readonly status?: number;
  readonly instance?: string;
}

/**
 * Turns a ZodError into the 400 problem of docs/http-api.md, naming every bad field in `detail` and
 * listing them with their messages in `errors`.
 */
export function zodErrorToProblem(
  error: z.ZodError,
  options: ZodErrorToProblemOptions = {},
): ProblemDetails {
  const subject = options.subject ?? "request body";
  const errors = fieldErrors(error);
  return problemDetails({
    type: PROBLEM_TYPES.validation,
    title: `Invalid ${subject}`,
    status: options.status ?? 400,
    detail: invalidFieldsDetail(subject, errors),
    ...(options.instance === undefined ? {} : { instance: options.instance }),
    errors,
  });
}
