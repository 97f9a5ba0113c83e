/**
 * What the fault injector did and when: each fault switched on or off, and each one-off
 * action (a host kill, a connection drop). A chaos report marks these on its time axis.
 */
export type FaultTarget = "cosmos" | "servicebus" | "storage" | "host";

export interface FaultEvent {
  /** Epoch milliseconds. */
  readonly at: number;
  readonly target: FaultTarget;
  readonly fault: string;
  /** `start`/`end` bound a fault that lasts; `once` is a single action. */
  readonly phase: "start" | "end" | "once";
  readonly detail?: string;
}

export class FaultLog {
  readonly #events: FaultEvent[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  record(event: Omit<FaultEvent, "at">): void {
    this.#events.push({ at: this.now(), ...event });
  }

  events(): readonly FaultEvent[] {
    return [...this.#events];
  }
}
