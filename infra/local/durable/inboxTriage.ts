/**
 * Which of an instance's inbox messages an episode delivers. Pure: the episode reads the
 * inbox and the history, these functions decide.
 */
import { answeredId, type HistoryFacts } from "./historyFacts";
import type { InboxMessage } from "./taskHubStore";

export interface TriagedInbox {
  /** Keys of messages that will never be delivered: they are deleted. */
  stale: string[];
  /** Messages not visible yet (timers): the instance is woken when each is due. */
  waiting: InboxMessage[];
  /** Messages to deliver now, in delivery order. */
  due: InboxMessage[];
}

/**
 * A message is stale when it belongs to another execution (answers and timers), is already
 * in the history (delivered by an episode whose commit landed before its messages were
 * deleted), or answers a task the execution has answered already or never scheduled.
 */
export function triageInbox(
  inbox: readonly InboxMessage[],
  executionId: number,
  facts: HistoryFacts,
  nowMs: number,
): TriagedInbox {
  const triaged: TriagedInbox = { stale: [], waiting: [], due: [] };
  for (const m of inbox) {
    const perExecution = m.kind === "answer" || m.kind === "timer";
    const id = answeredId(m.event);
    if (perExecution && m.executionId !== executionId) triaged.stale.push(m.key);
    else if (facts.messages.has(m.key)) triaged.stale.push(m.key);
    else if (id !== undefined && (facts.answered.has(id) || !facts.scheduled.has(id)))
      triaged.stale.push(m.key);
    else if (m.visibleAt > nowMs) triaged.waiting.push(m);
    else triaged.due.push(m);
  }
  return triaged;
}

/**
 * The due messages one episode delivers. The library hands out a sequence id when it reads a
 * retry answer (a failed attempt or a fired retry timer); one per episode, read last, keeps
 * its numbering and the engine's in step. `deferred` says more are left for the next episode.
 */
export function deliveryOrder(
  due: readonly InboxMessage[],
  facts: HistoryFacts,
): { delivered: InboxMessage[]; deferred: boolean } {
  const delivered: InboxMessage[] = [];
  let retryAnswer: InboxMessage | undefined;
  let deferred = false;
  for (const m of due) {
    if (!facts.isRetryAnswer(m.event)) delivered.push(m);
    else if (retryAnswer) deferred = true;
    else retryAnswer = m;
  }
  if (retryAnswer) delivered.push(retryAnswer);
  return { delivered, deferred };
}
