/**
 * ISO 8601 durations as the official emulator's Config.json writes them (`PT1M`, `PT20S`,
 * `P1D`, `PT0.5S`). Years and months are taken as 365 and 30 days, which is what .NET's
 * XmlConvert.ToTimeSpan does for the Service Bus management API.
 */
const DURATION =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Milliseconds of an ISO 8601 duration, or undefined when the text is not one. */
export function parseIsoDuration(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]));
  return (
    n(1) * 365 * DAY +
    n(2) * 30 * DAY +
    n(3) * 7 * DAY +
    n(4) * DAY +
    n(5) * HOUR +
    n(6) * MINUTE +
    Math.round(n(7) * SECOND)
  );
}

/**
 * .NET's TimeSpan.MaxValue as the management API writes it: the service's "never" for a
 * time to live or an auto-delete-on-idle.
 */
export const TIMESPAN_MAX = "P10675199DT2H48M5.4775807S";
const TIMESPAN_MAX_MS = 10675199 * DAY;

/** Milliseconds of a duration, Infinity for TimeSpan.MaxValue or no value at all. */
export function durationMs(text: string | undefined): number {
  if (text === undefined) return Infinity;
  const ms = parseIsoDuration(text) ?? Infinity;
  return ms >= TIMESPAN_MAX_MS ? Infinity : ms;
}

/** An ISO 8601 duration the management API writes (`PT1M`, `P14D`, `PT0.5S`). */
export function formatIsoDuration(ms: number): string {
  if (!Number.isFinite(ms)) return TIMESPAN_MAX;
  const days = Math.floor(ms / DAY);
  let rest = ms - days * DAY;
  const hours = Math.floor(rest / HOUR);
  rest -= hours * HOUR;
  const minutes = Math.floor(rest / MINUTE);
  rest -= minutes * MINUTE;
  const seconds = rest / SECOND;
  let time = "";
  if (hours) time += `${hours}H`;
  if (minutes) time += `${minutes}M`;
  if (seconds) time += `${seconds}S`;
  if (!days && !time) return "PT0S";
  return `P${days ? `${days}D` : ""}${time ? `T${time}` : ""}`;
}
