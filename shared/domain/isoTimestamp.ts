import { InvalidTimestampError } from "./orderErrors";

/** `now` as the ISO text an order records; a clock that gave an invalid date is refused. */
export function isoTimestamp(now: Date): string {
  if (Number.isNaN(now.getTime())) throw new InvalidTimestampError();
  return now.toISOString();
}
