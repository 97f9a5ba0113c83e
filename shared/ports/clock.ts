/** The current time, passed in so handlers never read the clock themselves (STYLE.md). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
