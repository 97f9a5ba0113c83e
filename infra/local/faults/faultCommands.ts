/**
 * The faults the control API accepts, one entry per `<target> <fault>`: the body it takes
 * (validated, so a bad request is refused naming the field) and what it does. The CLI and
 * the chaos tool send these same bodies.
 */
import { z } from "zod";
import type { FaultInjector } from "./faultInjector";

export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

export interface FaultCommand {
  /** Validates `body` and applies the fault; resolves once it is in force. */
  run(faults: FaultInjector, body: unknown): { issues: FieldIssue[] } | { done: Promise<void> };
  /** Switches this fault (and its schedule) off. */
  clear(faults: FaultInjector): void;
}

function command<S extends z.ZodType>(
  body: S,
  apply: (faults: FaultInjector, value: z.output<S>) => void | Promise<void>,
  clear: (faults: FaultInjector) => void,
): FaultCommand {
  return {
    clear,
    run(faults, input) {
      const parsed = body.safeParse(input ?? {});
      if (!parsed.success) {
        return {
          issues: parsed.error.issues.map((issue) => ({
            field: issue.path.join(".") || "(body)",
            message: issue.message,
          })),
        };
      }
      return { done: Promise.resolve(apply(faults, parsed.data)) };
    },
  };
}

const share = z.number().gt(0).max(1);
const positiveMs = z.number().int().positive();

export const FAULT_COMMANDS: Readonly<Record<string, FaultCommand>> = {
  "cosmos throttle": command(
    z.strictObject({
      share,
      retryAfterMs: z.number().int().nonnegative().default(100),
      forMs: positiveMs.optional(),
    }),
    (faults, b) =>
      faults.cosmos.throttle.set({ share: b.share, retryAfterMs: b.retryAfterMs }, b.forMs),
    (faults) => faults.cosmos.throttle.clear(),
  ),
  "cosmos unavailable": command(
    z.strictObject({ share, forMs: positiveMs.optional() }),
    (faults, b) => faults.cosmos.unavailable.set({ share: b.share }, b.forMs),
    (faults) => faults.cosmos.unavailable.clear(),
  ),
  "cosmos delay": command(
    z.strictObject({ ms: positiveMs, share: share.default(1), forMs: positiveMs.optional() }),
    (faults, b) => faults.cosmos.delay.set({ ms: b.ms, share: b.share }, b.forMs),
    (faults) => faults.cosmos.delay.clear(),
  ),
  "servicebus drop-connections": command(
    z.strictObject({ everyMs: positiveMs.optional() }),
    (faults, b) => faults.serviceBus.drops.start(b.everyMs),
    (faults) => faults.serviceBus.stopDrops(),
  ),
  "servicebus busy": command(
    z.strictObject({ forMs: positiveMs.optional() }),
    (faults, b) => faults.serviceBus.busy.set({}, b.forMs),
    (faults) => faults.serviceBus.busy.clear(),
  ),
  "storage outage": command(
    z.strictObject({
      forMs: positiveMs.optional(),
      mode: z.enum(["refuse", "reset"]).default("refuse"),
    }),
    (faults, b) => faults.storage.startOutage({ mode: b.mode }, b.forMs),
    (faults) => faults.storage.outage.clear(),
  ),
  "host kill": command(
    z.strictObject({ everyMs: positiveMs.optional() }),
    (faults, b) => faults.host.kills.start(b.everyMs),
    (faults) => faults.host.clear(),
  ),
};

/** The command names, `<target> <fault>`, for usage texts. */
export const FAULT_COMMAND_NAMES = Object.keys(FAULT_COMMANDS);
