/**
 * Step lines as the local host prints them: the handler's fields (shared/ports/stepLog.ts)
 * with the function that wrote them, its invocation id and the level, in either LOG_FORMAT.
 */
import { parseStepLine } from "../../shared/adapters/logging/stepLine";
import type { StepFields } from "../../shared/ports/stepLog";

export interface HostStepLine {
  readonly fn: string;
  readonly invocationId: string;
  readonly level: string;
  /** The host's log category (JSON lines only): "user" for what the app wrote. */
  readonly category?: string;
  readonly fields: StepFields;
}

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const TEXT_LINE = new RegExp(`^\\S+Z (INFO |WARN ) \\[(\\w+)\\] \\((${UUID})\\) (OrderStep .*)$`);

/** The step line in one line of host output, or undefined when it holds none. */
export function hostStepLineOf(format: "text" | "json", line: string): HostStepLine | undefined {
  if (format === "text") {
    const m = TEXT_LINE.exec(line);
    const fields = m ? parseStepLine(m[4]!) : undefined;
    return m && fields
      ? { level: m[1]!.trim(), fn: m[2]!, invocationId: m[3]!, fields }
      : undefined;
  }
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const fields = typeof entry.message === "string" ? parseStepLine(entry.message) : undefined;
  if (!fields) return undefined;
  return {
    fn: String(entry.function),
    invocationId: String(entry.invocationId),
    level: String(entry.level),
    ...(typeof entry.category === "string" ? { category: entry.category } : {}),
    fields,
  };
}

/** The step lines in the host's output so far, oldest first. */
export function hostStepLines(
  host: { readonly lines: readonly string[] },
  format: "text" | "json",
): HostStepLine[] {
  return host.lines.flatMap((line) => {
    const parsed = hostStepLineOf(format, line);
    return parsed ? [parsed] : [];
  });
}

export const isUuid = (value: string): boolean => new RegExp(`^${UUID}$`).test(value);
