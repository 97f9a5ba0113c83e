/**
 * The timer trigger: six-field NCRONTAB schedules (`{second} {minute} {hour} {day} {month}
 * {day-of-week}`) or TimeSpan schedules (`hh:mm:ss`), `%SETTING%` expressions resolved from
 * app settings, `runOnStartup`, and the timer object Functions hands to Node functions
 * (`Schedule`, `ScheduleStatus`, `IsPastDue`, camel-cased by the library).
 * One process runs each schedule once; Azure's cross-instance singleton lock is not needed here.
 */
import { CronExpressionParser } from "cron-parser";
import { parseTimeSpan } from "./hostJson";
import type { LogWriter } from "./logger";
import type { FunctionInvoker, RegisteredFunction } from "./plugin";

/** A tick later than this past its due time is reported as `isPastDue`. */
const PAST_DUE_TOLERANCE_MS = 1_000;

/** Replaces `%NAME%` binding expressions with app settings; a missing one is an error naming it. */
export function resolveBindingExpression(
  value: string,
  settings: Readonly<Record<string, string | undefined>>,
  where: string,
): string {
  return value.replace(/%([^%]+)%/g, (_all, name: string) => {
    const resolved = settings[name];
    if (resolved === undefined) {
      throw new Error(`${where} uses %${name}%, but the app setting "${name}" is not set.`);
    }
    return resolved;
  });
}

export interface Schedule {
  readonly text: string;
  next(after: Date): Date;
}

export function parseSchedule(text: string): Schedule {
  const span = parseTimeSpan(text);
  if (span !== undefined) {
    if (span <= 0) throw new Error(`Timer schedule "${text}" must be a positive interval.`);
    return { text, next: (after) => new Date(after.getTime() + span) };
  }
  const fields = text.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new Error(
      `Timer schedule "${text}" must be a six-field NCRONTAB expression ({second} {minute} {hour} {day} {month} {day-of-week}) or a TimeSpan (hh:mm:ss).`,
    );
  }
  CronExpressionParser.parse(text); // Validate now, so a bad schedule stops start-up.
  return {
    text,
    next(after: Date): Date {
      return CronExpressionParser.parse(text, { currentDate: after }).next().toDate();
    },
  };
}

export interface TimerTriggerOptions {
  readonly functions: readonly RegisteredFunction[];
  readonly invoker: FunctionInvoker;
  readonly settings: Readonly<Record<string, string | undefined>>;
  readonly log: LogWriter;
  readonly now?: () => Date;
}

export interface RunningTimers {
  readonly schedules: ReadonlyMap<string, Schedule>;
  stop(): Promise<void>;
}

/** Validates every timer function's schedule (throws naming the function) without starting. */
export function timerSchedulesOf(
  functions: readonly RegisteredFunction[],
  settings: Readonly<Record<string, string | undefined>>,
): Map<string, Schedule> {
  const schedules = new Map<string, Schedule>();
  for (const fn of functions) {
    const trigger = fn.bindings[fn.triggerBindingName];
    const raw = trigger?.schedule;
    if (typeof raw !== "string") throw new Error(`Timer function "${fn.name}" has no schedule.`);
    const text = resolveBindingExpression(raw, settings, `Timer function "${fn.name}"`);
    try {
      schedules.set(fn.name, parseSchedule(text));
    } catch (error) {
      throw new Error(
        `Timer function "${fn.name}": ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }
  return schedules;
}

export function startTimers(options: TimerTriggerOptions): RunningTimers {
  const now = options.now ?? (() => new Date());
  const timerFunctions = options.functions.filter(
    (f) => f.triggerType.toLowerCase() === "timertrigger",
  );
  const schedules = timerSchedulesOf(timerFunctions, options.settings);
  const handles = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<unknown>>();
  let stopped = false;

  for (const fn of timerFunctions) {
    const schedule = schedules.get(fn.name)!;
    const trigger = fn.bindings[fn.triggerBindingName];
    let last: Date | undefined;

    const fire = (due: Date | undefined, next: Date): void => {
      const fired = now();
      const timerInfo = {
        Schedule: { AdjustForDST: true },
        ScheduleStatus: {
          Last: (last ?? new Date(0)).toISOString(),
          Next: next.toISOString(),
          LastUpdated: fired.toISOString(),
        },
        IsPastDue: due !== undefined && fired.getTime() - due.getTime() > PAST_DUE_TOLERANCE_MS,
      };
      last = fired;
      const run = options.invoker
        .invoke(fn, {
          inputData: [{ name: fn.triggerBindingName, data: { json: JSON.stringify(timerInfo) } }],
        })
        .catch(() => undefined); // Logged by the invoker; a failed tick waits for the next one, as in Functions.
      running.add(run);
      void run.finally(() => running.delete(run));
    };

    const arm = (from: Date): void => {
      if (stopped) return;
      const due = schedule.next(from);
      // setTimeout caps at ~24.8 days; re-arm in steps for longer waits.
      const wait = Math.min(Math.max(0, due.getTime() - now().getTime()), 2 ** 31 - 1);
      const handle = setTimeout(() => {
        handles.delete(handle);
        if (stopped) return;
        if (now().getTime() < due.getTime()) {
          arm(from);
          return;
        }
        const next = schedule.next(due);
        fire(due, next);
        // Missed occurrences are not replayed one by one: the late tick says isPastDue.
        arm(new Date(Math.max(due.getTime(), now().getTime())));
      }, wait);
      handles.add(handle);
    };

    if (trigger?.runOnStartup === true) fire(undefined, schedule.next(now()));
    arm(now());
  }

  return {
    schedules,
    async stop(): Promise<void> {
      stopped = true;
      for (const handle of handles) clearTimeout(handle);
      handles.clear();
      await Promise.all([...running]);
    },
  };
}
