import type * as df from "durable-functions";
import { sagaGoesOn, type UpdateOrderStatusOutput } from "../activityMap";

/**
 * An in-memory stand-in for `context.df`, enough to drive the saga generator without a host:
 * activities answer through a callback, external events queue by name until a waiting task
 * takes them, and a timer fires only when nothing else can make progress (time then jumps
 * to its deadline). The real Durable engine had no stand-in when this was written; the
 * scenario tests run the same generator on the local engine.
 */
interface FakeTask {
  kind: "activity" | "event" | "timer" | "any" | "all";
  name: string;
  input?: unknown;
  fireAt?: Date;
  children: FakeTask[];
  isCompleted: boolean;
  isFaulted: boolean;
  isCancelled: boolean;
  result?: unknown;
  cancel: () => void;
}

export interface ActivityCall {
  readonly name: string;
  readonly input: unknown;
  /** What the activity answered; absent while it runs, or when it failed. */
  output?: unknown;
}

export type ActivityImpl = (name: string, input: unknown, saga: FakeOrchestration) => unknown;

export class FakeOrchestration {
  readonly calls: ActivityCall[] = [];
  readonly customStatuses: unknown[] = [];
  readonly timers: FakeTask[] = [];
  private readonly queued: Array<{ name: string; data: unknown }> = [];
  private now: Date;
  private generator: Generator<unknown, unknown, unknown> | undefined;
  private blockedOn: FakeTask | undefined;
  done = false;
  output: unknown;
  /** What ended the orchestration Failed, when it threw. */
  failure: unknown;

  constructor(
    private readonly input: unknown,
    private readonly activity: ActivityImpl,
    start = new Date("2026-01-01T00:00:00Z"),
  ) {
    this.now = start;
  }

  get context(): df.OrchestrationContext {
    // The API object's getters read this fake's clock and queue, not the API object.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    const make = (
      kind: FakeTask["kind"],
      name: string,
      extra: Partial<FakeTask> = {},
    ): FakeTask => {
      const task: FakeTask = {
        kind,
        name,
        children: [],
        isCompleted: false,
        isFaulted: false,
        isCancelled: false,
        cancel: () => {
          task.isCancelled = true;
        },
        ...extra,
      };
      return task;
    };
    const dfApi = {
      instanceId: "fake",
      isReplaying: false,
      get currentUtcDateTime() {
        return self.now;
      },
      getInput: () => self.input,
      setCustomStatus: (status: unknown) => self.customStatuses.push(status),
      callActivity: (name: string, input?: unknown) => make("activity", name, { input }),
      callActivityWithRetry: (name: string, _retry: unknown, input?: unknown) =>
        make("activity", name, { input }),
      waitForExternalEvent: (name: string) => make("event", name),
      createTimer: (fireAt: Date) => {
        const timer = make("timer", "timer", { fireAt });
        self.timers.push(timer);
        return timer;
      },
      Task: {
        any: (tasks: FakeTask[]) => make("any", "any", { children: tasks }),
        all: (tasks: FakeTask[]) => make("all", "all", { children: tasks }),
      },
    };
    return { df: dfApi, log: () => undefined } as unknown as df.OrchestrationContext;
  }

  /** Starts the generator and runs it until it waits for an event nobody has raised. */
  start(
    orchestrator: (context: df.OrchestrationContext) => Generator<unknown, unknown, unknown>,
  ): this {
    this.generator = orchestrator(this.context);
    this.step(undefined);
    return this;
  }

  /** Queues an external event (a participant's reply or an API request) and runs on. */
  raise(name: string, data?: unknown): this {
    this.queued.push({ name, data });
    if (this.blockedOn && !this.done) this.resume();
    return this;
  }

  /** Queues an event without running the saga (for activities answering while they run). */
  enqueue(name: string, data?: unknown): void {
    this.queued.push({ name, data });
  }

  private step(value: unknown): void {
    if (!this.generator) throw new Error("not started");
    const generator = this.generator;
    // An error the orchestrator does not catch ends it Failed, as in Durable.
    const resume = (
      move: () => IteratorResult<unknown, unknown>,
    ): IteratorResult<unknown, unknown> | undefined => {
      try {
        return move();
      } catch (error) {
        this.done = true;
        this.failure = error;
        return undefined;
      }
    };
    let next = resume(() => generator.next(value));
    for (;;) {
      if (next === undefined) return;
      if (next.done) {
        this.done = true;
        this.output = next.value;
        return;
      }
      const task = next.value as FakeTask;
      // Activities scheduled together (`Task.all` of activities) run in the order given.
      const activities =
        task.kind === "activity"
          ? [task]
          : task.kind === "all" && task.children.every((c) => c.kind === "activity")
            ? task.children
            : undefined;
      if (activities) {
        const results: unknown[] = [];
        let failure: { error: unknown } | undefined;
        for (const activity of activities) {
          const call: ActivityCall = { name: activity.name, input: activity.input };
          this.calls.push(call);
          try {
            call.output = this.activity(activity.name, activity.input, this);
            results.push(call.output);
          } catch (error) {
            failure ??= { error };
          }
        }
        this.now = new Date(this.now.getTime() + 1000);
        const result = task.kind === "activity" ? results[0] : results;
        // A failed activity (retries spent) is thrown into the orchestrator, as Durable does.
        next = resume(() => (failure ? generator.throw(failure.error) : generator.next(result)));
        continue;
      }
      this.blockedOn = task;
      if (!this.tryComplete(task, false)) return;
      this.blockedOn = undefined;
      next = resume(() => generator.next(task.result));
    }
  }

  private resume(): void {
    const task = this.blockedOn as FakeTask;
    if (!this.tryComplete(task, false)) return;
    this.blockedOn = undefined;
    this.step(task.result);
  }

  /** Completes a waiting task from the queued events; fires its timer when nothing else can. */
  private tryComplete(task: FakeTask, allowTimer: boolean): boolean {
    if (task.kind === "event") {
      const index = this.queued.findIndex((q) => q.name === task.name);
      if (index < 0) return false;
      const [event] = this.queued.splice(index, 1);
      task.result = event?.data;
      task.isCompleted = true;
      return true;
    }
    if (task.kind === "timer") {
      if (!allowTimer) return false;
      this.now = task.fireAt as Date;
      task.isCompleted = true;
      return true;
    }
    if (task.kind === "all") {
      for (const child of task.children) if (!child.isCompleted) this.tryComplete(child, false);
      task.isCompleted = task.children.every((c) => c.isCompleted);
      return task.isCompleted;
    }
    // any: events in arrival order first, then (only if none) the timer.
    for (const child of task.children) {
      if (child.kind !== "timer" && this.tryComplete(child, false)) {
        task.result = child;
        task.isCompleted = true;
        return true;
      }
    }
    const timer = task.children.find((c) => c.kind === "timer");
    if (timer && (allowTimer || this.autoFireTimers) && this.tryComplete(timer, true)) {
      task.result = timer;
      task.isCompleted = true;
      return true;
    }
    return false;
  }

  /** When true (the default) a timer fires as soon as the saga has nothing else to wait for. */
  autoFireTimers = true;

  /**
   * Commands sent, in order: through the sendCommand activity, and as the follow-ups of a
   * status write (`then`) that answered that the saga goes on (the activity's own rule: sent
   * unless the write was refused with the order Cancelling).
   */
  commandTypes(): string[] {
    return this.commands().map((c) => c.type);
  }

  commands(): { type: string; data: Record<string, unknown> }[] {
    type Command = { type: string; data: Record<string, unknown> };
    return this.calls.flatMap((c) => {
      if (c.name.endsWith("sendCommand")) return [(c.input as { command: Command }).command];
      if (c.name.endsWith("updateOrderStatus") && this.followUpsSent(c))
        return (c.input as { then?: Command[] }).then ?? [];
      return [];
    });
  }

  private followUpsSent(call: ActivityCall): boolean {
    const output = call.output as UpdateOrderStatusOutput | undefined;
    return output !== undefined && sagaGoesOn(output);
  }

  /** Statuses written through updateOrderStatus, in order. */
  statuses(): string[] {
    return this.calls
      .filter((c) => c.name.endsWith("updateOrderStatus"))
      .map((c) => (c.input as { status: string }).status);
  }

  pendingTimers(): number {
    return this.timers.filter((t) => !t.isCompleted && !t.isCancelled).length;
  }
}
