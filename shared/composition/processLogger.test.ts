import { createProcessLogger, type ProcessLogLevel } from "./processLogger";

const clock = { now: () => new Date("2026-11-22T07:00:00.000Z") };

function recording(format: "json" | "text") {
  const lines: Array<{ line: string; level: ProcessLogLevel }> = [];
  const logger = createProcessLogger({
    format,
    component: "order-api",
    clock,
    write: (line, level) => lines.push({ line, level }),
  });
  return { logger, lines };
}

describe("createProcessLogger", () => {
  it("writes text lines the way the host writes its own: time, level, component, fields", () => {
    const { logger, lines } = recording("text");
    logger.info("catalog seeded", { created: 120 });
    logger.error("Cosmos bootstrap failed");
    expect(lines).toEqual([
      {
        level: "information",
        line: '2026-11-22T07:00:00.000Z INFO  order-api: catalog seeded {"created":120}',
      },
      { level: "error", line: "2026-11-22T07:00:00.000Z ERROR order-api: Cosmos bootstrap failed" },
    ]);
  });

  it("writes JSON lines with the host's keys and level names, fields alongside", () => {
    const { logger, lines } = recording("json");
    logger.warn("slow", { ms: 5 });
    expect(lines.map((l) => JSON.parse(l.line) as unknown)).toEqual([
      {
        time: "2026-11-22T07:00:00.000Z",
        level: "warning",
        category: "user",
        message: "order-api: slow",
        ms: 5,
      },
    ]);
  });
});
