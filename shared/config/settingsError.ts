/** One bad setting and what it expects. */
export interface SettingProblem {
  readonly setting: string;
  readonly expected: string;
}

/** Thrown by {@link loadSettings}; the message names every bad setting at once. */
export class SettingsError extends Error {
  constructor(readonly problems: readonly SettingProblem[]) {
    super(
      `Invalid app settings (${problems.length}):\n` +
        problems.map((problem) => `  - ${problem.setting}: ${problem.expected}`).join("\n"),
    );
    this.name = "SettingsError";
  }
}
