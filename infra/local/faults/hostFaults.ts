/**
 * The Functions host killed with SIGKILL, once or on a schedule, as Azure loses an
 * instance. The stand-ins process does not own the host: whoever does (the launcher, over
 * IPC) gives a {@link HostControl} and reports each restart back.
 */
import type { FaultLog } from "./faultLog";
import { FaultRepeater } from "./faultRepeater";

export interface HostControl {
  /** SIGKILLs the running host; `not-running` while none is up (starting, or restarting). */
  kill(): Promise<"killed" | "not-running">;
}

export interface HostFaultCounts {
  readonly kills: number;
  /** Scheduled kills that found no running host (it was still restarting). */
  readonly killsSkipped: number;
  readonly restarts: number;
}

export class HostFaults {
  readonly kills: FaultRepeater;
  #counts = { kills: 0, killsSkipped: 0, restarts: 0 };

  constructor(
    private readonly log: FaultLog,
    private readonly control?: HostControl,
  ) {
    this.kills = new FaultRepeater(() => this.#kill());
  }

  /** False when nothing here can kill the host (stand-ins started without one). */
  get available(): boolean {
    return this.control !== undefined;
  }

  /** The owner started a new host after one died. */
  restarted(): void {
    this.#counts.restarts += 1;
    this.log.record({ target: "host", fault: "restart", phase: "once" });
  }

  counts(): HostFaultCounts {
    return { ...this.#counts };
  }

  clear(): void {
    if (!this.kills.scheduled) return;
    this.kills.stop();
    this.log.record({ target: "host", fault: "kill", phase: "end" });
  }

  #kill(): void {
    const control = this.control;
    if (!control) return;
    control.kill().then(
      (outcome) => {
        if (outcome === "killed") this.#counts.kills += 1;
        else this.#counts.killsSkipped += 1;
        this.log.record({
          target: "host",
          fault: "kill",
          phase: "once",
          detail: outcome === "killed" ? "SIGKILL" : "skipped: no host running",
        });
      },
      (error: unknown) =>
        this.log.record({ target: "host", fault: "kill", phase: "once", detail: String(error) }),
    );
  }
}
