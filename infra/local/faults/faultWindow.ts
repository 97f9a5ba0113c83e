/**
 * One fault that lasts: on with some settings until cleared or until its time runs out.
 * Switching it on again replaces the settings. Its start and end go to the fault log.
 */
import type { FaultLog, FaultTarget } from "./faultLog";
import { formatFaultDuration } from "./faultDuration";

export class FaultWindow<T extends object> {
  #value: T | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: FaultLog,
    private readonly target: FaultTarget,
    private readonly fault: string,
    private readonly describe: (value: T) => string,
    /** Runs when the fault ends (cleared, replaced or timed out): undo what it did. */
    private readonly onEnd?: () => void,
  ) {}

  /** Switches the fault on; `forMs` ends it by itself, otherwise it lasts until {@link clear}. */
  set(value: T, forMs?: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    // A replaced setting ends where the new one starts (the undo is the caller's: it applies
    // the new setting over the old one).
    if (this.#value !== undefined)
      this.log.record({ target: this.target, fault: this.fault, phase: "end" });
    this.#value = value;
    const detail =
      this.describe(value) + (forMs === undefined ? "" : ` for ${formatFaultDuration(forMs)}`);
    this.log.record({ target: this.target, fault: this.fault, phase: "start", detail });
    if (forMs !== undefined) {
      this.#timer = setTimeout(() => this.clear(), forMs);
      this.#timer.unref();
    }
  }

  get(): T | undefined {
    return this.#value;
  }

  clear(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#value === undefined) return;
    this.#value = undefined;
    this.log.record({ target: this.target, fault: this.fault, phase: "end" });
    this.onEnd?.();
  }
}
