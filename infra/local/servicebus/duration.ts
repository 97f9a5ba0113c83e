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
