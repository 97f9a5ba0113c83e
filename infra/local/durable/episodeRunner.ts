/**
 * Runs one episode of an instance: reads its row, inbox and history; drops the messages that
 * will never be delivered and sets wake-ups for the ones not due yet; on the instance's first
 * episode in this process starts again the work that has no answer; then delivers the due
 * messages as new history events after an `OrchestratorStarted`, has the orchestrator replay
 * the whole history and commits what it decided.
 */
import type { ActivityRunner } from "./activityRunner";
import type { EngineParts } from "./engineParts";
import type { EpisodeCommit } from "./episodeCommit";
import { answeredId, HistoryFacts } from "./historyFacts";
import { executionStarted, orchestratorStarted } from "./historyEvents";
import { deliveredEvent } from "./inboxMessages";
import { deliveryOrder, triageInbox } from "./inboxTriage";
import type { OrchestratorInvoker } from "./orchestratorInvoker";
import { HistoryEventType, isTerminal, type HistoryEvent } from "./protocol";
import type { SubOrchestrations } from "./subOrchestrations";
import type { InboxMessage, InstanceRecord } from "./taskHubStore";

export class EpisodeRunner {
  constructor(
    private readonly parts: EngineParts,
    private readonly orchestrators: OrchestratorInvoker,
    private readonly activities: ActivityRunner,
    private readonly subOrchestrations: SubOrchestrations,
    private readonly commits: EpisodeCommit,
  ) {}

  async run(instanceId: string): Promise<void> {
    const { mirror, histories, scheduler } = this.parts;
    const record = await mirror.readRecord(instanceId);
    if (!record) {
      histories.forget(instanceId);
      return;
    }
    const inbox = await mirror.readInbox(instanceId);
    if (isTerminal(record.runtimeStatus)) {
      histories.forget(instanceId);
      if (inbox.length > 0)
        await mirror.deleteInbox(
          instanceId,
          inbox.map((m) => m.key),
        );
      return;
    }
    const history = await histories.read(record);
    const facts = new HistoryFacts(history);
    const now = this.parts.clock();
    const { stale, waiting, due } = triageInbox(inbox, record.executionId, facts, now.getTime());
    for (const m of waiting) scheduler.wakeAt(instanceId, m.key, m.visibleAt);
    if (stale.length > 0) await mirror.deleteInbox(instanceId, stale);
    if (!this.parts.reconciled.has(instanceId)) {
      this.parts.reconciled.add(instanceId);
      await this.reconcile(record, facts, inbox);
    }

    const terminate = due.find((m) => m.kind === "terminate");
    if (terminate) {
      await this.commits.terminate(record, history, terminate, due);
      return;
    }
    const starting = record.runtimeStatus === "Pending" && history.length === 0;
    const { delivered, deferred } = deliveryOrder(due, facts);
    if (delivered.length === 0 && !starting) return;
    // The instance is running: asked again, it runs once more after this episode.
    if (deferred) scheduler.schedule(instanceId);
    await this.deliver(record, history, delivered, starting, now);
  }

  /** Starts again the scheduled work that has no answer yet (the process that started it is gone). */
  private async reconcile(
    record: InstanceRecord,
    facts: HistoryFacts,
    inbox: readonly InboxMessage[],
  ): Promise<void> {
    const answeredInInbox = new Set(
      inbox.map((m) => answeredId(m.event)).filter((x) => x !== undefined),
    );
    for (const event of facts.scheduled.values()) {
      if (facts.answered.has(event.EventId) || answeredInInbox.has(event.EventId)) continue;
      const work = { id: event.EventId, name: event.Name ?? "", input: event.Input ?? "null" };
      if (event.EventType === HistoryEventType.TaskScheduled) {
        this.activities.start(record.instanceId, record.executionId, work);
      } else if (event.EventType === HistoryEventType.SubOrchestrationInstanceCreated) {
        await this.subOrchestrations.start(record, { ...work, instanceId: event.InstanceId ?? "" });
      }
    }
  }

  /** Delivers the messages (and on the first episode the start) to the orchestrator, and commits. */
  private async deliver(
    record: InstanceRecord,
    history: readonly HistoryEvent[],
    messages: InboxMessage[],
    starting: boolean,
    now: Date,
  ): Promise<void> {
    const stamp = now.toISOString();
    const started = orchestratorStarted(stamp);
    const delivered = messages.map(deliveredEvent);
    if (starting) delivered.unshift(executionStarted(stamp, record.name, record.input));
    const { plan, logLines } = await this.orchestrators.run({
      record,
      history,
      started,
      delivered,
      now,
    });
    await this.commits.commit({
      record,
      history,
      messages,
      newEvents: [started, ...delivered],
      plan,
      now,
      logLines,
    });
  }
}
