/**
 * What the fixture app observed, kept in memory and served by its `state` function so host
 * tests can assert on it through HTTP without reaching into the host process.
 */
export interface FixtureState {
  hooks: string[];
  timerTicks: Array<{ isPastDue: unknown; scheduleStatus: unknown; schedule: unknown }>;
  messages: Array<{ functionName: string; body: unknown; triggerMetadata: unknown }>;
  /** Service Bus handlers running right now, and the most ever seen at once. */
  running: number;
  maxRunning: number;
}

export const state: FixtureState = {
  hooks: [],
  timerTicks: [],
  messages: [],
  running: 0,
  maxRunning: 0,
};
