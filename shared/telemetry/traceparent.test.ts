import {
  episodeSpanId,
  episodeTraceparent,
  formatTraceparent,
  parseTraceparent,
} from "./traceparent";

const SAGA = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

describe("traceparent", () => {
  it("parses and formats W3C traceparent values, refusing malformed and all-zero ids", () => {
    const parsed = parseTraceparent(SAGA);
    expect(parsed).toMatchObject({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "00f067aa0ba902b7",
      traceFlags: 1,
    });
    expect(formatTraceparent(parsed!)).toBe(SAGA);
    expect(
      parseTraceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01"),
    ).toBeUndefined();
    expect(parseTraceparent("not-a-traceparent")).toBeUndefined();
    expect(parseTraceparent(undefined)).toBeUndefined();
  });

  it("names an orchestrator episode the same way on every replay, and each episode apart", () => {
    const first = episodeTraceparent(SAGA, "order-1", Date.parse("2026-11-29T10:00:00.000Z"));
    const again = episodeTraceparent(SAGA, "order-1", Date.parse("2026-11-29T10:00:00.000Z"));
    const next = episodeTraceparent(SAGA, "order-1", Date.parse("2026-11-29T10:00:00.001Z"));
    const other = episodeTraceparent(SAGA, "order-2", Date.parse("2026-11-29T10:00:00.000Z"));
    expect(first).toBe(again);
    expect(new Set([first, next, other]).size).toBe(3);
    // Same trace as the saga, the episode's own span id.
    expect(parseTraceparent(first)?.traceId).toBe(parseTraceparent(SAGA)?.traceId);
    expect(parseTraceparent(first)?.spanId).toBe(
      episodeSpanId("order-1", Date.parse("2026-11-29T10:00:00.000Z")),
    );
  });

  it("names no episode when the saga has no trace", () => {
    expect(episodeTraceparent(undefined, "order-1", 0)).toBeUndefined();
  });
});
