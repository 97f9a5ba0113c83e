/**
 * Runs activities: at most `maxConcurrentActivityFunctions` at once, each answer (completion
 * or failure) put in its instance's inbox, which schedules the instance: held in memory when
 * this host owns the instance (its next episode commits the answer to history), written to
 * storage when it does not. An activity runs after the episode that scheduled it committed,
 * and again when a new owner finds it without an answer: activities are at least once.
 */
import type { FunctionInvoker, RegisteredFunction } from "../host/plugin";
import type { EngineParts } from "./engineParts";
import { describeThrown } from "./failure";
import { taskCompleted, taskFailed } from "./historyEvents";
import type { HistoryEvent } from "./protocol";
import { Semaphore } from "./semaphore";
import type { InboxMessage } from "./taskHubStore";
import type { ActivityWork } from "./turnPlan";
import { decodeTyped } from "./typedData";

const ANSWER_WRITE_ATTEMPTS = 5;

export class ActivityRunner {
  private readonly functions = new Map<string, RegisteredFunction>();
  private readonly slots: Semaphore;
  private readonly pendingAnswers = new Map<
    string,
    { messages: InboxMessage[]; done: Promise<void> }
  >();

  constructor(
    private readonly parts: EngineParts,
    private readonly invoker: FunctionInvoker,
    functions: readonly RegisteredFunction[],
    maxConcurrent: number,
  ) {
    for (const fn of functions) {
      if (fn.triggerType === "activityTrigger") this.functions.set(fn.name, fn);
    }
    this.slots = new Semaphore(Math.max(1, maxConcurrent));
  }

  /** Runs the activity in the background; its answer goes to the instance's inbox. */
  start(instanceId: string, executionId: number, work: ActivityWork): void {
    this.parts.scheduler.track(this.run(instanceId, executionId, work), instanceId);
  }

  private async run(instanceId: string, executionId: number, work: ActivityWork): Promise<void> {
    await this.slots.acquire();
    let event: HistoryEvent;
    try {
      if (this.parts.scheduler.stopped) return;
      event = await this.invoke(work);
    } catch (error) {
      const failure = describeThrown(error);
      event = taskFailed(this.stampNow(), work.id, {
        reason: `Activity function '${work.name}' failed: ${failure.message}`,
        details: failure.stack,
        failureDetails: {
          ErrorType: failure.errorType,
          ErrorMessage: failure.message,
          StackTrace: failure.stack,
        },
      });
    } finally {
      this.slots.release();
    }
    this.parts.stats.activities++;
    await this.deliverAnswer(instanceId, this.parts.messages.answer(executionId, event));
  }

  private async invoke(work: ActivityWork): Promise<HistoryEvent> {
    const fn = this.functions.get(work.name);
    if (!fn) throw new Error(`The activity function '${work.name}' is not registered in this app.`);
    const result = await this.invoker.invoke(fn, {
      inputData: [{ name: fn.triggerBindingName, data: { json: work.input } }],
      triggerMetadata: {},
    });
    const value = decodeTyped(result.returnValue);
    return taskCompleted(this.stampNow(), work.id, JSON.stringify(value ?? null));
  }

  private stampNow(): string {
    return this.parts.clock().toISOString();
  }

  /**
   * Writes an activity's answer. Answers for one instance that finish together share one
   * batch write (a fan-out's results arrive in bursts); each caller resolves once its answer
   * is durable.
   */
  private deliverAnswer(instanceId: string, message: InboxMessage): Promise<void> {
    let pending = this.pendingAnswers.get(instanceId);
    if (!pending) {
      const batch = { messages: [] as InboxMessage[], done: undefined as unknown as Promise<void> };
      batch.done = new Promise<void>((resolve, reject) => {
        setImmediate(() => {
          this.pendingAnswers.delete(instanceId);
          this.writeAnswers(instanceId, batch.messages).then(resolve, reject);
        });
      });
      pending = batch;
      this.pendingAnswers.set(instanceId, pending);
    }
    pending.messages.push(message);
    return pending.done;
  }

  private async writeAnswers(instanceId: string, messages: InboxMessage[]): Promise<void> {
    if (this.parts.mirror.hold(instanceId, messages)) {
      await this.parts.deliver(instanceId);
      return;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await this.parts.mirror.putInbox(instanceId, messages);
        break;
      } catch (error) {
        if (attempt >= ANSWER_WRITE_ATTEMPTS || this.parts.scheduler.stopped) throw error;
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
    await this.parts.deliver(instanceId);
  }
}
