/**
 * Commits an episode, in the order that makes a crash at any point safe: the new history rows,
 * then the messages it creates (timers, immediate answers, carried-over events), then the
 * instance row (the commit point), then the deletion of the messages it consumed; only then
 * the work it scheduled starts. Before the row is written a crash leaves the old commit (the
 * episode reruns and rewrites the same rows); after it, the delivered messages are found in
 * the history and dropped.
 */
import type { ActivityRunner } from "./activityRunner";
import type { EngineParts } from "./engineParts";
import { executionFailed, executionTerminated } from "./historyEvents";
import { carriedEventMessage, timerKey } from "./inboxMessages";
import { committedRecord, terminatedRecord } from "./instanceRecords";
import { HistoryEventType, type HistoryEvent } from "./protocol";
import type { SubOrchestrations } from "./subOrchestrations";
import type { InboxMessage, InstanceRecord } from "./taskHubStore";
import type { TurnPlan } from "./turnPlan";

export interface EpisodeResult {
  /** The row as the episode read it. */
  record: InstanceRecord;
  history: readonly HistoryEvent[];
  /** The inbox messages the episode delivered. */
  messages: readonly InboxMessage[];
  /** The episode's `OrchestratorStarted` and delivered events. */
  newEvents: readonly HistoryEvent[];
  plan: TurnPlan;
  now: Date;
  logLines: number;
}

export class EpisodeCommit {
  constructor(
    private readonly parts: EngineParts,
    private readonly activities: ActivityRunner,
    private readonly subOrchestrations: SubOrchestrations,
  ) {}

  async commit(episode: EpisodeResult): Promise<void> {
    const { record, history, plan } = episode;
    const { mirror, histories, scheduler } = this.parts;
    const { instanceId, executionId } = record;
    const stamp = episode.now.toISOString();
    const outcome = plan.outcome;
    const appended = [...episode.newEvents, ...plan.appended];
    if (outcome.kind === "failed") {
      appended.push(executionFailed(stamp, outcome.message, outcome.details));
    }
    await histories.append(record, history.length, appended);
    const carried = await this.putMessages(record, plan);
    const cancelled = this.cancelTimers(record, plan, [...history, ...appended]);

    const next = committedRecord(record, plan, {
      historyLength: history.length + appended.length,
      logLines: episode.logLines,
      stamp,
    });
    if (!(await mirror.writeRecord(next, false))) {
      // Someone else changed the instance (a restart over a finished one); read it again.
      histories.forget(instanceId);
      scheduler.schedule(instanceId);
      return;
    }
    if (outcome.kind === "running") {
      histories.remember(instanceId, executionId, [...history, ...appended]);
    } else {
      // A finished (or restarted) execution's history is not read again by episodes.
      histories.forget(instanceId);
    }
    this.parts.stats.episodes++;

    const consumed = episode.messages.map((m) => m.key).filter((k) => !carried.has(k));
    const done = new Set([...consumed, ...cancelled]);
    if (done.size > 0) await mirror.deleteInbox(instanceId, [...done]);
    await this.followUp(next, plan);
  }

  /** Ends the execution on a terminate request, whatever the orchestrator was doing. */
  async terminate(
    record: InstanceRecord,
    history: readonly HistoryEvent[],
    request: InboxMessage,
    due: readonly InboxMessage[],
  ): Promise<void> {
    const { mirror, histories } = this.parts;
    const stamp = this.parts.clock().toISOString();
    const reason = request.event.Input ?? "";
    await histories.append(record, history.length, [executionTerminated(stamp, reason)]);
    const next = terminatedRecord(record, reason, { historyLength: history.length + 1, stamp });
    if (!(await mirror.writeRecord(next, false))) {
      this.parts.scheduler.schedule(record.instanceId);
      return;
    }
    histories.forget(record.instanceId);
    const rest = await mirror.readInbox(record.instanceId);
    await mirror.deleteInbox(record.instanceId, [
      ...new Set([...due.map((m) => m.key), ...rest.map((m) => m.key)]),
    ]);
    this.parts.logger.info(
      `Orchestration '${record.name}' (instance '${record.instanceId}') was terminated: ${reason}`,
    );
    await this.finished(next);
  }

  /** Writes the messages the episode creates; resolves the keys of the events it carries over. */
  private async putMessages(record: InstanceRecord, plan: TurnPlan): Promise<Set<string>> {
    const { messages } = this.parts;
    const { executionId } = record;
    const toPut = plan.timers.map((t) => messages.timer(executionId, t.id, t.fireAt));
    for (const answer of plan.immediateAnswers) toPut.push(messages.answer(executionId, answer));
    const carried = new Set<string>();
    if (plan.outcome.kind === "continuedAsNew") {
      for (const e of plan.outcome.carriedEvents) {
        if (!e.Message) continue;
        carried.add(e.Message);
        toPut.push(carriedEventMessage(e, e.Message));
      }
    }
    if (toPut.length > 0) await this.parts.mirror.putInbox(record.instanceId, toPut);
    return carried;
  }

  /** Drops the wake-ups of cancelled timers; resolves their message keys. */
  private cancelTimers(
    record: InstanceRecord,
    plan: TurnPlan,
    events: readonly HistoryEvent[],
  ): string[] {
    const ids = [...plan.cancelledTimers];
    if (plan.outcome.kind !== "running") {
      // Open timers of a finished execution never fire.
      for (const e of events)
        if (e.EventType === HistoryEventType.TimerCreated) ids.push(e.EventId);
    }
    const keys = ids.map((id) => timerKey(record.executionId, id));
    for (const key of keys) this.parts.scheduler.cancelWake(record.instanceId, key);
    return keys;
  }

  /** After the commit: start the scheduled work, or run again, or announce the end. */
  private async followUp(next: InstanceRecord, plan: TurnPlan): Promise<void> {
    const { scheduler } = this.parts;
    const { instanceId, executionId } = next;
    const outcome = plan.outcome;
    if (outcome.kind === "failed") {
      this.parts.logger.error(`Orchestration '${next.name}' (instance '${instanceId}') failed`, {
        instanceId,
        error: outcome.message,
        stack: outcome.details,
      });
    }
    if (outcome.kind === "running") {
      for (const work of plan.activities) this.activities.start(instanceId, executionId, work);
      for (const work of plan.subOrchestrations) await this.subOrchestrations.start(next, work);
      for (const t of plan.timers) {
        scheduler.wakeAt(instanceId, timerKey(executionId, t.id), Date.parse(t.fireAt));
      }
      // Immediate answers are in the inbox: the next episode delivers them.
      if (plan.immediateAnswers.length > 0) scheduler.schedule(instanceId);
    } else if (outcome.kind === "continuedAsNew") {
      scheduler.schedule(instanceId);
    } else {
      await this.finished(next);
    }
  }

  private async finished(record: InstanceRecord): Promise<void> {
    this.parts.events.emit("finished", record);
    await this.subOrchestrations.notifyParent(record);
  }
}
