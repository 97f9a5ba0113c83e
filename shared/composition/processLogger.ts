import type { Clock } from "../ports/clock";
import { withFields, type MessageLog } from "../ports/messageLog";

/**
 * Lines of the process outside any invocation (the local bootstrap: containers created,
 * catalog seeded). Everything a request or a message causes goes through its invocation's
 * context instead (`shared/adapters/logging`). These lines take the host's own line format,
 * so one output reads alike: text `<time> INFO  order-api: message {"field":…}`, or with
 * LOG_FORMAT=json `{"time","level","category","message":"order-api: message",…fields}`.
 */
export interface ProcessLoggerOptions {
  readonly format: "json" | "text";
  /** Names the writer, e.g. `order-api`. */
  readonly component: string;
  readonly clock: Clock;
  /** Where a finished line goes; stdout (stderr for errors) by default. */
  readonly write?: (line: string, level: ProcessLogLevel) => void;
}

/** The host's level names (the Functions worker protocol's). */
export type ProcessLogLevel = "information" | "warning" | "error";

const TEXT_LEVEL: Record<ProcessLogLevel, string> = {
  information: "INFO ",
  warning: "WARN ",
  error: "ERROR",
};

export function createProcessLogger(options: ProcessLoggerOptions): MessageLog {
  const { format, component, clock } = options;
  const out =
    options.write ??
    ((line: string, level: ProcessLogLevel) =>
      level === "error" ? console.error(line) : console.log(line));
  const write = (level: ProcessLogLevel, message: string, fields: Record<string, unknown> = {}) => {
    const time = clock.now().toISOString();
    const text = `${component}: ${message}`;
    const line =
      format === "json"
        ? JSON.stringify({ time, level, category: "user", message: text, ...fields })
        : `${time} ${TEXT_LEVEL[level]} ${withFields(text, fields)}`;
    out(line, level);
  };
  return {
    info: (message, fields) => write("information", message, fields),
    warn: (message, fields) => write("warning", message, fields),
    error: (message, fields) => write("error", message, fields),
  };
}
