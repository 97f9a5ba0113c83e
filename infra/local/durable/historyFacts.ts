/**
 * Facts the engine reads off an execution's history: which sequence ids were scheduled and
 * how, which completed, and which belong to a retry chain. The orchestrator library numbers
 * its tasks in the order it tracks them; every number it hands out is recorded here as the
 * `EventId` of a scheduling event, so these facts are enough to mirror its numbering.
 */
import { HistoryEventType, type HistoryEvent } from "./protocol";

const SCHEDULING = new Set<number>([
  HistoryEventType.TaskScheduled,
  HistoryEventType.TimerCreated,
  HistoryEventType.SubOrchestrationInstanceCreated,
]);

const COMPLETIONS = new Set<number>([
  HistoryEventType.TaskCompleted,
  HistoryEventType.TaskFailed,
  HistoryEventType.SubOrchestrationInstanceCompleted,
  HistoryEventType.SubOrchestrationInstanceFailed,
]);

export function isScheduling(event: HistoryEvent): boolean {
  return SCHEDULING.has(event.EventType);
}

/** The sequence id an answering event refers to, if it answers one. */
export function answeredId(event: HistoryEvent): number | undefined {
  if (COMPLETIONS.has(event.EventType)) return event.TaskScheduledId;
  if (event.EventType === HistoryEventType.TimerFired) return event.TimerId;
  return undefined;
}

export function isFailure(event: HistoryEvent): boolean {
  return (
    event.EventType === HistoryEventType.TaskFailed ||
    event.EventType === HistoryEventType.SubOrchestrationInstanceFailed
  );
}

export class HistoryFacts {
  /** Scheduling events by sequence id. */
  readonly scheduled = new Map<number, HistoryEvent>();
  /** Sequence ids that have an answer (completion, failure or fired timer). */
  readonly answered = new Set<number>();
  /** Failure events by the sequence id they answer. */
  readonly failures = new Map<number, HistoryEvent>();
  /** Inbox message keys already folded into the history. */
  readonly messages = new Set<string>();
  maxId = -1;

  constructor(events: readonly HistoryEvent[]) {
    for (const e of events) this.add(e);
  }

  add(event: HistoryEvent): void {
    if (isScheduling(event)) {
      this.scheduled.set(event.EventId, event);
      if (event.EventId > this.maxId) this.maxId = event.EventId;
    }
    const id = answeredId(event);
    if (id !== undefined) this.answered.add(id);
    if (id !== undefined && isFailure(event)) this.failures.set(id, event);
    if (event.Message) this.messages.add(event.Message);
  }

  /** Scheduling events the orchestrator asked for itself (not retry follow-ups), by id. */
  primaries(): HistoryEvent[] {
    return [...this.scheduled.values()]
      .filter((e) => e.RetryOf === undefined)
      .sort((a, b) => a.EventId - b.EventId);
  }

  /** The first sequence id of the retry chain that `id` belongs to, if it is in one. */
  retryChainOf(id: number): number | undefined {
    const event = this.scheduled.get(id);
    if (!event) return undefined;
    if (event.RetryOf !== undefined) return event.RetryOf;
    return event.Retry ? event.EventId : undefined;
  }

  /** Whether answering `event` makes the library hand out a new sequence id (retry timer or attempt). */
  isRetryAnswer(event: HistoryEvent): boolean {
    const id = answeredId(event);
    if (id === undefined) return false;
    if (event.EventType === HistoryEventType.TimerFired) {
      return this.scheduled.get(id)?.RetryOf !== undefined;
    }
    return isFailure(event) && this.retryChainOf(id) !== undefined;
  }

  /** Scheduling events of a retry chain, in order. */
  chain(first: number): HistoryEvent[] {
    return [...this.scheduled.values()]
      .filter((e) => e.EventId === first || e.RetryOf === first)
      .sort((a, b) => a.EventId - b.EventId);
  }
}
