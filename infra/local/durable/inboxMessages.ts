/**
 * Inbox messages and their keys, built in one place. Keys are the messages' row keys, so they
 * are part of the storage format:
 * - `c-<execution>-<task>`: the answer to a scheduled task (activity, sub-orchestration);
 *   deterministic, so an answer written twice is one message;
 * - `t-<execution>-<timer>`: a timer, visible from its due time;
 * - `e-<seq>`: a raised event; a continued-as-new execution carries it over under the same
 *   key (its sequence is read back from the key);
 * - `x-<seq>`: a terminate request.
 */
import { timerFired } from "./historyEvents";
import type { HistoryEvent } from "./protocol";
import type { InboxMessage } from "./taskHubStore";

const EVENT_PREFIX = "e-";
const TERMINATE_PREFIX = "x-";

export function answerKey(executionId: number, taskScheduledId: number): string {
  return `c-${executionId}-${taskScheduledId}`;
}

export function timerKey(executionId: number, timerId: number): string {
  return `t-${executionId}-${timerId}`;
}

/** Messages in delivery order. */
export function bySeq(a: InboxMessage, b: InboxMessage): number {
  return a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0;
}

/** The history event a message delivers, marked with the message it came from (de-duplication). */
export function deliveredEvent(message: InboxMessage): HistoryEvent {
  return { ...message.event, IsPlayed: false, Message: message.key };
}

/** Builds inbox messages with sequence keys that order them by when they were written. */
export class InboxMessages {
  private counter = 0;

  /** A sequence key that orders messages by the time they were written in this process and across restarts. */
  nextSeq(at = Date.now()): string {
    this.counter = (this.counter + 1) % 1_000_000;
    return `${String(at).padStart(15, "0")}-${String(this.counter).padStart(6, "0")}`;
  }

  /** The answer (completion or failure) to the task its event names. */
  answer(executionId: number, event: HistoryEvent): InboxMessage {
    return {
      key: answerKey(executionId, event.TaskScheduledId ?? -1),
      kind: "answer",
      executionId,
      visibleAt: 0,
      seq: this.nextSeq(),
      event,
    };
  }

  /** A timer's firing, delivered once it is due. */
  timer(executionId: number, timerId: number, fireAt: string): InboxMessage {
    const due = Date.parse(fireAt);
    return {
      key: timerKey(executionId, timerId),
      kind: "timer",
      executionId,
      visibleAt: due,
      seq: this.nextSeq(due),
      event: timerFired(timerId, fireAt),
    };
  }

  raisedEvent(event: HistoryEvent): InboxMessage {
    return this.forInstance("event", EVENT_PREFIX, event);
  }

  terminate(event: HistoryEvent): InboxMessage {
    return this.forInstance("terminate", TERMINATE_PREFIX, event);
  }

  /** A request to the instance, for whichever execution runs: keyed and ordered by its sequence. */
  private forInstance(
    kind: "event" | "terminate",
    prefix: string,
    event: HistoryEvent,
  ): InboxMessage {
    const seq = this.nextSeq();
    return { key: `${prefix}${seq}`, kind, executionId: 0, visibleAt: 0, seq, event };
  }
}

/**
 * A raised event the execution delivered but did not take, put back for the next execution
 * under its message key and original sequence, so it keeps its place among the others.
 */
export function carriedEventMessage(delivered: HistoryEvent, key: string): InboxMessage {
  const event = { ...delivered };
  delete event.Message;
  return {
    key,
    kind: "event",
    executionId: 0,
    visibleAt: 0,
    seq: key.slice(EVENT_PREFIX.length),
    event,
  };
}
