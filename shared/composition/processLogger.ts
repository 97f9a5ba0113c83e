/** Log lines of the composition and handlers: JSON in Azure (LOG_FORMAT=json), text locally. */
export interface ProcessLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createProcessLogger(format: "json" | "text", component: string): ProcessLogger {
  const write = (level: string, message: string, fields: Record<string, unknown> = {}) => {
    const line =
      format === "json"
        ? JSON.stringify({ level, component, message, ...fields })
        : `[${level}] ${component}: ${message}${Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : ""}`;
    if (level === "error") console.error(line);
    else console.log(line);
  };
  return {
    info: (message, fields) => write("info", message, fields),
    warn: (message, fields) => write("warn", message, fields),
    error: (message, fields) => write("error", message, fields),
  };
}
