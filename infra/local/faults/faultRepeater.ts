/**
 * A one-off fault action (kill the host, drop every connection) done now and, with
 * `everyMs`, again on that schedule until cleared. Starting it again replaces the schedule.
 */
export class FaultRepeater {
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly action: () => void) {}

  start(everyMs?: number): void {
    this.stop();
    this.action();
    if (everyMs !== undefined) {
      this.#timer = setInterval(this.action, everyMs);
      this.#timer.unref();
    }
  }

  get scheduled(): boolean {
    return this.#timer !== undefined;
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
