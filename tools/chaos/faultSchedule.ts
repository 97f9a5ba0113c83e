/**
 * Drives a plan's fault schedule through the stack's fault control API: each fault is
 * switched on at its time (repeating ones with their period), and switched off when its
 * time is up, when the arrivals end (the default), or after every order settled (`run`).
 */
import type { FaultSnapshot } from "@order-processing/local-runtime/faults";
import type { ChaosFault, ChaosPlan } from "./chaosPlan";

export interface FaultSchedule {
  /** Reasons a fault could not be switched on or off (a refused request, no answer). */
  readonly errors: readonly string[];
  /** Switches every fault off and stops the timers. */
  clearAll(): Promise<void>;
  snapshot(): Promise<FaultSnapshot>;
}

export function scheduleFaults(
  faultsUrl: string,
  plan: ChaosPlan,
  startedAt: number,
): FaultSchedule {
  const errors: string[] = [];
  const timers: NodeJS.Timeout[] = [];
  const call = async (method: "POST" | "DELETE", path: string, body?: unknown): Promise<void> => {
    try {
      const response = await fetch(`${faultsUrl}${path}`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!response.ok)
        errors.push(`${method} ${path}: ${response.status} ${await response.text()}`);
    } catch (error) {
      errors.push(`${method} ${path}: ${String(error)}`);
    }
  };
  const at = (epoch: number, run: () => Promise<void>): void => {
    timers.push(setTimeout(() => void run(), Math.max(0, epoch - Date.now())));
  };
  const path = (f: ChaosFault): string => `/faults/${f.target}/${f.fault}`;
  for (const fault of plan.faults) {
    const body = {
      ...fault.options,
      ...(fault.everyMs === undefined ? {} : { everyMs: fault.everyMs }),
      ...(typeof fault.for === "number" ? { forMs: fault.for } : {}),
    };
    at(startedAt + fault.atMs, () => call("POST", path(fault), body));
    if (fault.for === undefined) at(startedAt + plan.durationMs, () => call("DELETE", path(fault)));
  }
  return {
    errors,
    async clearAll() {
      timers.forEach((t) => clearTimeout(t));
      await call("DELETE", "/faults");
    },
    async snapshot() {
      return (await (await fetch(`${faultsUrl}/faults`)).json()) as FaultSnapshot;
    },
  };
}
