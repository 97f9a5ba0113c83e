import type { StepFields } from "../../ports/stepLog";

/**
 * A step line's message: this prefix, then the fields as one JSON object. The prefix lets a
 * query pick step lines out of `traces` before parsing anything (`message startswith`), and
 * keeps the line readable in the host's text format; the JSON keeps every field queryable
 * (`parse_json(substring(message, strlen(prefix)))`). The queries in `bicep/queries/` spell
 * it literally; a test holds them to this constant.
 */
export const STEP_LINE_PREFIX = "OrderStep ";

export function formatStepLine(fields: StepFields): string {
  return STEP_LINE_PREFIX + JSON.stringify(fields);
}

/** The fields of a step line's message, or undefined when the message is not one. */
export function parseStepLine(message: string): StepFields | undefined {
  if (!message.startsWith(STEP_LINE_PREFIX)) return undefined;
  try {
    const fields: unknown = JSON.parse(message.slice(STEP_LINE_PREFIX.length));
    return isStepFields(fields) ? fields : undefined;
  } catch {
    return undefined;
  }
}

function isStepFields(value: unknown): value is StepFields {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return ["orderId", "correlationId", "step", "outcome"].every((k) => typeof v[k] === "string");
}
