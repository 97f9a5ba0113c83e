/**
 * The host's log output: one line per entry, as text (default) or JSON lines when
 * `LOG_FORMAT=json`. Function logs carry the function name and invocation id so that a line
 * can be traced back to one invocation, the way Application Insights correlates them in Azure.
 */
import type { HostLogger } from "./plugin";

/** Levels of the Functions worker protocol (`RpcLogLevel`), lowest first. */
export const LOG_LEVELS = [
  "trace",
  "debug",
  "information",
  "warning",
  "error",
  "critical",
  "none",
] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogEntry {
  readonly level: LogLevel;
  readonly message: string;
  /** `user` for `context.log`, `system` for the library's and the host's own lines. */
  readonly category?: string;
  readonly functionName?: string;
  readonly invocationId?: string;
  readonly fields?: Record<string, unknown>;
}

export interface LogWriterOptions {
  /** `json` gives one JSON object per line; anything else gives text. */
  readonly format?: string;
  /** Entries below this level are dropped (host.json `logging.logLevel.default`). */
  readonly minLevel?: LogLevel;
  /** Where finished lines go; stdout by default. */
  readonly write?: (line: string) => void;
  readonly now?: () => Date;
}

const SHORT: Record<LogLevel, string> = {
  trace: "TRACE",
  debug: "DEBUG",
  information: "INFO ",
  warning: "WARN ",
  error: "ERROR",
  critical: "CRIT ",
  none: "NONE ",
};

/** Writes log entries; the one sink every part of the host logs through. */
export class LogWriter {
  readonly #json: boolean;
  readonly #min: number;
  readonly #write: (line: string) => void;
  readonly #now: () => Date;

  constructor(options: LogWriterOptions = {}) {
    this.#json = options.format?.toLowerCase() === "json";
    this.#min = LOG_LEVELS.indexOf(options.minLevel ?? "information");
    this.#write = options.write ?? ((line) => process.stdout.write(line + "\n"));
    this.#now = options.now ?? (() => new Date());
  }

  get isJson(): boolean {
    return this.#json;
  }

  enabled(level: LogLevel): boolean {
    return level !== "none" && LOG_LEVELS.indexOf(level) >= this.#min;
  }

  log(entry: LogEntry): void {
    if (!this.enabled(entry.level)) return;
    const time = this.#now().toISOString();
    if (this.#json) {
      this.#write(
        JSON.stringify({
          time,
          level: entry.level,
          category: entry.category ?? "system",
          function: entry.functionName,
          invocationId: entry.invocationId,
          message: entry.message,
          ...entry.fields,
        }),
      );
      return;
    }
    const where = entry.functionName
      ? ` [${entry.functionName}]${entry.invocationId ? ` (${entry.invocationId})` : ""}`
      : "";
    const extra =
      entry.fields && Object.keys(entry.fields).length > 0
        ? " " + JSON.stringify(entry.fields)
        : "";
    this.#write(`${time} ${SHORT[entry.level]}${where} ${entry.message}${extra}`);
  }

  /** The plugin-facing logger of the seam, writing system lines under a component name. */
  hostLogger(component?: string): HostLogger {
    const line =
      (level: LogLevel) =>
      (message: string, fields?: Record<string, unknown>): void =>
        this.log({
          level,
          category: "system",
          message: component ? `${component}: ${message}` : message,
          ...(fields ? { fields } : {}),
        });
    return { info: line("information"), warn: line("warning"), error: line("error") };
  }
}

/** Maps a host.json level name (`Information`, `Warning`, …) to a protocol level. */
export function toLogLevel(name: unknown): LogLevel | undefined {
  if (typeof name !== "string") return undefined;
  const lower = name.toLowerCase();
  const found = LOG_LEVELS.find((l) => l === lower);
  return found ?? (lower === "info" ? "information" : lower === "warn" ? "warning" : undefined);
}
