/**
 * The engine: runs orchestrator episodes by replay, activities, timers and sub-orchestrations,
 * and answers the management operations. Storage is the truth (`DurableStore`); memory holds
 * only what can be rebuilt: the ready queue, armed timers and a history cache.
 *
 * One episode of an instance: read its row, history and inbox; deliver the due messages as
 * new history events after an `OrchestratorStarted`; invoke the orchestrator with the whole
 * history; plan the answer (`planTurn`); write the new history rows, then timers, then the
 * instance row (the commit point), then delete the delivered messages; only then start the
 * activities and sub-orchestrations it scheduled. A crash anywhere leaves either the old
 * commit (the episode reruns: same history, same decisions, rows rewritten) or the new one
 * (delivered messages are recognised as already in the history and dropped). On the first
 * episode of an instance in a process, scheduled work without an answer is started again:
 * at most the activities that were in flight run twice.
 */
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import type {
  FunctionInvoker,
  HostLogger,
  RegisteredFunction,
  RpcTypedDataLike,
} from "../host/plugin";
import type { DurableStore } from "./durableStore";
import type { InboxMessage, InstanceRecord, ListQuery } from "./taskHubStore";
import { describeThrown, stateOfFailure } from "./failure";
import { answeredId, HistoryFacts } from "./historyFacts";
import {
  HistoryEventType,
  isTerminal,
  REPLAY_SCHEMA_V1,
  type HistoryEvent,
  type OrchestratorStateWire,
} from "./protocol";
import { planTurn } from "./replayPlanner";
import { Semaphore } from "./semaphore";
import type { ActivityWork, SubOrchestrationWork, TurnPlan } from "./turnPlan";

export interface DurableEngineOptions {
  store: DurableStore;
  invoker: FunctionInvoker;
  functions: readonly RegisteredFunction[];
  logger: HostLogger;
  maxConcurrentOrchestratorFunctions: number;
  maxConcurrentActivityFunctions: number;
  clock?: () => Date;
}

/** What an episode's orchestrator invocation may log: lines already written on earlier episodes are skipped. */
export interface EpisodeLogGate {
  skip: number;
  count: number;
  /** What the orchestrator threw, when it threw (the library passes on only its message). */
  thrown?: { value: unknown };
}

const MAX_TIMEOUT_MS = 2_147_483_647;
export const EPISODE_FIELD = "localEngineEpisode";

export class StartConflictError extends Error {}
export class UnknownFunctionError extends Error {}

export class DurableEngine {
  readonly store: DurableStore;
  private readonly invoker: FunctionInvoker;
  private readonly logger: HostLogger;
  private readonly clock: () => Date;
  private readonly orchestrators = new Map<string, RegisteredFunction>();
  private readonly activities = new Map<string, RegisteredFunction>();
  private readonly orchestratorSlots: Semaphore;
  private readonly activitySlots: Semaphore;
  private readonly ready: string[] = [];
  private readonly queued = new Set<string>();
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  private readonly armed = new Map<string, NodeJS.Timeout>();
  private readonly reconciled = new Set<string>();
  private readonly historyCache = new Map<
    string,
    { executionId: number; events: HistoryEvent[] }
  >();
  /**
   * The engine is the only writer of its task hub (one host per hub, as locally), so after a
   * first read it mirrors instance rows and inboxes in memory and reads storage only once per
   * instance and process (again when a write landed during that read; see `writesDone`).
   * Storage stays the truth: every write goes there first.
   */
  private readonly recordCache = new Map<string, InstanceRecord>();
  private readonly pendingAnswers = new Map<
    string,
    { messages: InboxMessage[]; done: Promise<void> }
  >();
  private readonly inboxCache = new Map<string, Map<string, InboxMessage>>();
  /**
   * Storage writes to each instance's row or inbox that have completed in this process. A
   * first read that overlapped one may predate it (a raised event written while the episode
   * read the inbox), and a mirror built from that read would hide the write for the life of
   * the process; such a read is done again instead of mirrored.
   */
  private readonly writesDone = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  readonly logGates = new Map<string, EpisodeLogGate>();
  private seqCounter = 0;
  private stopped = false;
  /** Emits `finished` with the instance record when an instance reaches a terminal state. */
  readonly events = new EventEmitter();
  /** Completed episodes and activities, for the benchmark. */
  readonly stats = { episodes: 0, activities: 0 };

  constructor(options: DurableEngineOptions) {
    this.store = options.store;
    this.invoker = options.invoker;
    this.logger = options.logger;
    this.clock = options.clock ?? (() => new Date());
    for (const fn of options.functions) {
      if (fn.triggerType === "orchestrationTrigger") this.orchestrators.set(fn.name, fn);
      if (fn.triggerType === "activityTrigger") this.activities.set(fn.name, fn);
    }
    this.orchestratorSlots = new Semaphore(Math.max(1, options.maxConcurrentOrchestratorFunctions));
    this.activitySlots = new Semaphore(Math.max(1, options.maxConcurrentActivityFunctions));
  }

  /** Creates the tables and resumes every instance that is not finished. */
  async start(): Promise<void> {
    await this.store.init();
    for (const record of await this.store.listActive()) this.schedule(record.instanceId);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.armed.values()) clearTimeout(t);
    this.armed.clear();
    this.ready.length = 0;
    this.queued.clear();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** A sequence key that orders messages by the time they were written in this process and across restarts. */
  private nextSeq(at = Date.now()): string {
    this.seqCounter = (this.seqCounter + 1) % 1_000_000;
    return `${String(at).padStart(15, "0")}-${String(this.seqCounter).padStart(6, "0")}`;
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  schedule(instanceId: string): void {
    if (this.stopped) return;
    if (this.running.has(instanceId)) {
      this.again.add(instanceId);
      return;
    }
    if (this.queued.has(instanceId)) return;
    this.queued.add(instanceId);
    this.ready.push(instanceId);
    this.pump();
  }

  private pump(): void {
    while (this.ready.length > 0 && !this.stopped) {
      if (!this.orchestratorSlots.tryAcquire()) return;
      const id = this.ready.shift() as string;
      this.queued.delete(id);
      this.running.add(id);
      this.track(
        this.runEpisode(id)
          .catch((error: unknown) => {
            this.forget(id);
            this.logger.error(`Durable engine: episode of '${id}' failed; it will be retried`, {
              error: describeThrown(error).message,
            });
            this.armRetry(id);
          })
          .finally(() => {
            this.running.delete(id);
            this.orchestratorSlots.release();
            if (this.again.delete(id)) this.schedule(id);
            this.pump();
          }),
      );
    }
  }

  private armRetry(instanceId: string): void {
    this.arm(`${instanceId}|retry`, instanceId, Date.now() + 1000);
  }

  private arm(key: string, instanceId: string, at: number): void {
    if (this.stopped || this.armed.has(key)) return;
    const delay = Math.max(0, Math.min(at - Date.now(), MAX_TIMEOUT_MS));
    const handle = setTimeout(() => {
      this.armed.delete(key);
      // Timers longer than setTimeout allows are re-armed until they are due.
      if (Date.now() < at) this.arm(key, instanceId, at);
      else this.schedule(instanceId);
    }, delay);
    handle.unref();
    this.armed.set(key, handle);
  }

  private writesTo(instanceId: string): number {
    return this.writesDone.get(instanceId) ?? 0;
  }

  /**
   * Runs a storage write to the instance and counts it, even when it failed: a write whose
   * answer was lost may still have landed.
   */
  private async writing<T>(instanceId: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } finally {
      this.writesDone.set(instanceId, this.writesTo(instanceId) + 1);
    }
  }

  private async loadRecord(instanceId: string): Promise<InstanceRecord | undefined> {
    for (;;) {
      const cached = this.recordCache.get(instanceId);
      if (cached) return { ...cached };
      const writes = this.writesTo(instanceId);
      const record = await this.store.getInstance(instanceId);
      // An episode committed while this read was under way: the row read may be the one it
      // replaced, and mirroring it would make the next episode replay a truncated history.
      if (this.writesTo(instanceId) !== writes) continue;
      if (record) this.recordCache.set(instanceId, { ...record });
      return record;
    }
  }

  private async writeRecord(record: InstanceRecord, create: boolean): Promise<boolean> {
    const ok = await this.writing(record.instanceId, () =>
      create ? this.store.createInstance(record) : this.store.replaceInstance(record),
    );
    if (ok) this.recordCache.set(record.instanceId, { ...record });
    else this.recordCache.delete(record.instanceId);
    return ok;
  }

  private async readInbox(instanceId: string): Promise<InboxMessage[]> {
    let mirror = this.inboxCache.get(instanceId);
    while (!mirror) {
      const writes = this.writesTo(instanceId);
      const messages = await this.store.readInbox(instanceId);
      mirror = this.inboxCache.get(instanceId);
      // A message written while the read was under way found no mirror to join and may be
      // missing from what was read (a reply raised as the restarted host resumes its
      // instances): read again, or that event would wait unseen until the next restart.
      if (!mirror && this.writesTo(instanceId) === writes) {
        mirror = new Map(messages.map((m) => [m.key, m]));
        this.inboxCache.set(instanceId, mirror);
      }
    }
    return [...mirror.values()].sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
  }

  private async putInbox(instanceId: string, messages: readonly InboxMessage[]): Promise<void> {
    await this.writing(instanceId, () => this.store.putInbox(instanceId, messages));
    const mirror = this.inboxCache.get(instanceId);
    if (mirror) for (const m of messages) mirror.set(m.key, m);
  }

  private async deleteInbox(instanceId: string, keys: readonly string[]): Promise<void> {
    const mirror = this.inboxCache.get(instanceId);
    const present = mirror ? keys.filter((k) => mirror.has(k)) : keys;
    if (present.length === 0) return;
    await this.writing(instanceId, () => this.store.deleteInbox(instanceId, present));
    if (mirror) for (const k of present) mirror.delete(k);
  }

  private forget(instanceId: string): void {
    this.recordCache.delete(instanceId);
    this.inboxCache.delete(instanceId);
    this.historyCache.delete(instanceId);
  }

  private async loadHistory(record: InstanceRecord): Promise<HistoryEvent[]> {
    const cached = this.historyCache.get(record.instanceId);
    if (
      cached &&
      cached.executionId === record.executionId &&
      cached.events.length === record.historyLength
    ) {
      return cached.events;
    }
    const events = await this.store.readHistory(
      record.instanceId,
      record.executionId,
      record.historyLength,
    );
    this.historyCache.set(record.instanceId, { executionId: record.executionId, events });
    return events;
  }

  private async runEpisode(instanceId: string): Promise<void> {
    const record = await this.loadRecord(instanceId);
    if (!record) {
      this.historyCache.delete(instanceId);
      return;
    }
    const inbox = await this.readInbox(instanceId);
    if (isTerminal(record.runtimeStatus)) {
      this.historyCache.delete(instanceId);
      if (inbox.length > 0)
        await this.deleteInbox(
          instanceId,
          inbox.map((m) => m.key),
        );
      return;
    }
    const history = await this.loadHistory(record);
    const facts = new HistoryFacts(history);
    const now = this.clock();
    const stale: string[] = [];
    const due: InboxMessage[] = [];
    for (const m of inbox) {
      const perExecution = m.kind === "answer" || m.kind === "timer";
      const id = answeredId(m.event);
      if (perExecution && m.executionId !== record.executionId) stale.push(m.key);
      else if (facts.messages.has(m.key)) stale.push(m.key);
      else if (id !== undefined && (facts.answered.has(id) || !facts.scheduled.has(id)))
        stale.push(m.key);
      else if (m.visibleAt > now.getTime())
        this.arm(`${instanceId}|${m.key}`, instanceId, m.visibleAt);
      else due.push(m);
    }
    if (stale.length > 0) await this.deleteInbox(instanceId, stale);
    if (!this.reconciled.has(instanceId)) {
      this.reconciled.add(instanceId);
      await this.reconcile(record, facts, inbox);
    }

    const terminate = due.find((m) => m.kind === "terminate");
    if (terminate) {
      await this.finishTerminated(record, history, terminate, due);
      return;
    }
    const starting = record.runtimeStatus === "Pending" && history.length === 0;
    const delivered: InboxMessage[] = [];
    let retryAnswer: InboxMessage | undefined;
    let deferred = false;
    for (const m of due) {
      if (facts.isRetryAnswer(m.event)) {
        // The library hands out a sequence id when it reads a retry answer; one per episode,
        // read last, keeps its numbering and the engine's in step.
        if (retryAnswer) deferred = true;
        else retryAnswer = m;
      } else delivered.push(m);
    }
    if (retryAnswer) delivered.push(retryAnswer);
    if (delivered.length === 0 && !starting) return;
    if (deferred) this.again.add(instanceId);
    await this.episode(record, history, delivered, starting, now);
  }

  /** Restarts scheduled work that has no answer yet (the process that started it is gone). */
  private async reconcile(
    record: InstanceRecord,
    facts: HistoryFacts,
    inbox: InboxMessage[],
  ): Promise<void> {
    const answeredInInbox = new Set(
      inbox.map((m) => answeredId(m.event)).filter((x) => x !== undefined),
    );
    for (const event of facts.scheduled.values()) {
      if (facts.answered.has(event.EventId) || answeredInInbox.has(event.EventId)) continue;
      if (event.EventType === HistoryEventType.TaskScheduled) {
        this.startActivity(record.instanceId, record.executionId, {
          id: event.EventId,
          name: event.Name ?? "",
          input: event.Input ?? "null",
        });
      } else if (event.EventType === HistoryEventType.SubOrchestrationInstanceCreated) {
        await this.startSubOrchestration(record, {
          id: event.EventId,
          name: event.Name ?? "",
          instanceId: event.InstanceId ?? "",
          input: event.Input ?? "null",
        });
      }
    }
  }

  private async episode(
    record: InstanceRecord,
    history: HistoryEvent[],
    messages: InboxMessage[],
    starting: boolean,
    now: Date,
  ): Promise<void> {
    const stamp = now.toISOString();
    const started: HistoryEvent = {
      EventType: HistoryEventType.OrchestratorStarted,
      EventId: -1,
      IsPlayed: false,
      Timestamp: stamp,
    };
    const delivered: HistoryEvent[] = messages.map((m) => ({
      ...m.event,
      IsPlayed: false,
      Message: m.key,
    }));
    if (starting) {
      delivered.unshift({
        EventType: HistoryEventType.ExecutionStarted,
        EventId: -1,
        IsPlayed: false,
        Timestamp: stamp,
        Name: record.name,
        Input: record.input,
      });
    }
    const fn = this.orchestrators.get(record.name);
    const episodeId = randomUUID();
    const gate: EpisodeLogGate = { skip: record.logLines, count: 0 };
    let plan: TurnPlan;
    if (!fn) {
      plan = failedPlan(
        `The orchestrator function '${record.name}' is not registered in this app.`,
        "",
      );
    } else {
      const bindingInfo = {
        history: [...history.map((e) => ({ ...e, IsPlayed: true })), started, ...delivered],
        input: JSON.parse(record.input) as unknown,
        instanceId: record.instanceId,
        isReplaying: history.length > 0,
        parentInstanceId: record.parentInstanceId || undefined,
        upperSchemaVersion: REPLAY_SCHEMA_V1,
        [EPISODE_FIELD]: episodeId,
      };
      this.logGates.set(episodeId, gate);
      try {
        const result = await this.invoker.invoke(fn, {
          inputData: [
            { name: fn.triggerBindingName, data: { string: JSON.stringify(bindingInfo) } },
          ],
          triggerMetadata: {},
        });
        const state = decodeTyped(result.returnValue) as OrchestratorStateWire | undefined;
        if (!state || !Array.isArray(state.actions)) {
          plan = failedPlan(
            `The orchestrator function '${record.name}' did not return an orchestration state; register it with df.app.orchestration.`,
            "",
          );
        } else {
          plan = planTurn({
            orchestrationName: record.name,
            instanceId: record.instanceId,
            history,
            delivered,
            state,
            now,
          });
        }
      } catch (error) {
        const state = stateOfFailure(error) as OrchestratorStateWire | undefined;
        const failure = gate.thrown
          ? describeThrown(gate.thrown.value)
          : state?.error
            ? { ...describeThrown(error), message: state.error }
            : describeThrown(error);
        plan = failedPlan(
          `Orchestrator function '${record.name}' failed: ${failure.message}`,
          failure.stack,
          state?.customStatus,
        );
      } finally {
        this.logGates.delete(episodeId);
      }
    }
    await this.commit(record, history, messages, [started, ...delivered], plan, now, gate.count);
  }

  private async commit(
    record: InstanceRecord,
    history: HistoryEvent[],
    messages: InboxMessage[],
    delivered: HistoryEvent[],
    plan: TurnPlan,
    now: Date,
    logLines: number,
  ): Promise<void> {
    const { instanceId, executionId } = record;
    const stamp = now.toISOString();
    const appended = [...delivered, ...plan.appended];
    const outcome = plan.outcome;
    if (outcome.kind === "failed") {
      appended.push({
        EventType: HistoryEventType.ExecutionFailed,
        EventId: -1,
        IsPlayed: false,
        Timestamp: stamp,
        OrchestrationStatus: "Failed",
        Reason: outcome.message,
        Details: outcome.details,
      });
    }
    await this.store.writeHistory(instanceId, executionId, history.length, appended);

    const toPut: InboxMessage[] = plan.timers.map((t) => ({
      key: `t-${executionId}-${t.id}`,
      kind: "timer",
      executionId,
      visibleAt: Date.parse(t.fireAt),
      seq: this.nextSeq(Date.parse(t.fireAt)),
      event: {
        EventType: HistoryEventType.TimerFired,
        EventId: -1,
        IsPlayed: false,
        Timestamp: t.fireAt,
        TimerId: t.id,
        FireAt: t.fireAt,
      },
    }));
    for (const answer of plan.immediateAnswers) {
      toPut.push({
        key: `c-${executionId}-${answer.TaskScheduledId ?? -1}`,
        kind: "answer",
        executionId,
        visibleAt: 0,
        seq: this.nextSeq(),
        event: answer,
      });
    }
    const carried = new Set<string>();
    if (outcome.kind === "continuedAsNew") {
      for (const e of outcome.carriedEvents) {
        if (!e.Message) continue;
        carried.add(e.Message);
        const event = { ...e };
        delete event.Message;
        toPut.push({
          key: e.Message,
          kind: "event",
          executionId: 0,
          visibleAt: 0,
          seq: e.Message.slice(2),
          event,
        });
      }
    }
    if (toPut.length > 0) await this.putInbox(instanceId, toPut);
    const cancelled = plan.cancelledTimers.map((id) => `t-${executionId}-${id}`);
    if (outcome.kind !== "running") {
      // Open timers of a finished execution never fire.
      for (const e of [...history, ...appended]) {
        if (e.EventType === HistoryEventType.TimerCreated)
          cancelled.push(`t-${executionId}-${e.EventId}`);
      }
    }
    for (const key of cancelled) {
      const handle = this.armed.get(`${instanceId}|${key}`);
      if (handle) clearTimeout(handle);
      this.armed.delete(`${instanceId}|${key}`);
    }

    const next: InstanceRecord = {
      ...record,
      runtimeStatus: "Running",
      customStatus: JSON.stringify(plan.customStatus ?? null),
      lastUpdatedTime: stamp,
      historyLength: history.length + appended.length,
      logLines,
    };
    if (outcome.kind === "completed") {
      next.runtimeStatus = "Completed";
      next.output = outcome.output;
    } else if (outcome.kind === "failed") {
      next.runtimeStatus = "Failed";
      next.output = JSON.stringify(
        outcome.details ? `${outcome.message}\n${outcome.details}` : outcome.message,
      );
    } else if (outcome.kind === "continuedAsNew") {
      next.executionId = executionId + 1;
      next.historyLength = 0;
      next.input = outcome.input;
      next.output = "null";
      next.logLines = 0;
    }
    if (!(await this.writeRecord(next, false))) {
      // Someone else changed the instance (a restart over a finished one); read it again.
      this.historyCache.delete(instanceId);
      this.again.add(instanceId);
      return;
    }
    Object.assign(record, next);
    if (outcome.kind === "running") {
      this.historyCache.set(instanceId, { executionId, events: [...history, ...appended] });
    } else {
      // A finished (or restarted) execution's history is not read again by episodes.
      this.historyCache.delete(instanceId);
    }
    this.stats.episodes++;

    const consumed = messages.map((m) => m.key).filter((k) => !carried.has(k));
    const obsolete =
      outcome.kind === "running" ? cancelled : cancelled.filter((k) => !consumed.includes(k));
    if (consumed.length + obsolete.length > 0) {
      await this.deleteInbox(instanceId, [...new Set([...consumed, ...obsolete])]);
    }

    if (outcome.kind === "failed") {
      this.logger.error(`Orchestration '${record.name}' (instance '${instanceId}') failed`, {
        instanceId,
        error: outcome.message,
        stack: outcome.details,
      });
    }
    if (outcome.kind === "running") {
      for (const work of plan.activities) this.startActivity(instanceId, executionId, work);
      for (const work of plan.subOrchestrations) await this.startSubOrchestration(next, work);
      for (const t of plan.timers)
        this.arm(`${instanceId}|t-${executionId}-${t.id}`, instanceId, Date.parse(t.fireAt));
      if (plan.immediateAnswers.length > 0) this.again.add(instanceId);
    } else if (outcome.kind === "continuedAsNew") {
      this.again.add(instanceId);
    } else {
      this.events.emit("finished", next);
      await this.notifyParent(next);
    }
  }

  private async finishTerminated(
    record: InstanceRecord,
    history: HistoryEvent[],
    request: InboxMessage,
    due: InboxMessage[],
  ): Promise<void> {
    const stamp = this.clock().toISOString();
    const reason = request.event.Input ?? "";
    const event: HistoryEvent = {
      EventType: HistoryEventType.ExecutionTerminated,
      EventId: -1,
      IsPlayed: false,
      Timestamp: stamp,
      Input: reason,
    };
    await this.store.writeHistory(record.instanceId, record.executionId, history.length, [event]);
    const next: InstanceRecord = {
      ...record,
      runtimeStatus: "Terminated",
      output: JSON.stringify(reason),
      lastUpdatedTime: stamp,
      historyLength: history.length + 1,
    };
    if (!(await this.writeRecord(next, false))) {
      this.again.add(record.instanceId);
      return;
    }
    this.historyCache.delete(record.instanceId);
    const rest = await this.readInbox(record.instanceId);
    await this.deleteInbox(record.instanceId, [
      ...new Set([...due.map((m) => m.key), ...rest.map((m) => m.key)]),
    ]);
    this.logger.info(
      `Orchestration '${record.name}' (instance '${record.instanceId}') was terminated: ${reason}`,
    );
    this.events.emit("finished", next);
    await this.notifyParent(next);
  }

  private async notifyParent(child: InstanceRecord): Promise<void> {
    if (!child.parentInstanceId || child.parentTaskId < 0) return;
    const stamp = this.clock().toISOString();
    const event: HistoryEvent =
      child.runtimeStatus === "Completed"
        ? {
            EventType: HistoryEventType.SubOrchestrationInstanceCompleted,
            EventId: -1,
            IsPlayed: false,
            Timestamp: stamp,
            TaskScheduledId: child.parentTaskId,
            Result: child.output,
          }
        : {
            EventType: HistoryEventType.SubOrchestrationInstanceFailed,
            EventId: -1,
            IsPlayed: false,
            Timestamp: stamp,
            TaskScheduledId: child.parentTaskId,
            Reason: `Sub-orchestration '${child.name}' (instance '${child.instanceId}') ${child.runtimeStatus.toLowerCase()}`,
            Details: String(JSON.parse(child.output) ?? ""),
            FailureDetails: {
              ErrorType: "SubOrchestrationFailed",
              ErrorMessage: String(JSON.parse(child.output) ?? child.runtimeStatus),
            },
          };
    await this.putInbox(child.parentInstanceId, [
      {
        key: `c-${child.parentExecutionId}-${child.parentTaskId}`,
        kind: "answer",
        executionId: child.parentExecutionId,
        visibleAt: 0,
        seq: this.nextSeq(),
        event,
      },
    ]);
    this.schedule(child.parentInstanceId);
  }

  private async startSubOrchestration(
    parent: InstanceRecord,
    work: SubOrchestrationWork,
  ): Promise<void> {
    const existing = await this.loadRecord(work.instanceId);
    const ours =
      existing &&
      existing.parentInstanceId === parent.instanceId &&
      existing.parentTaskId === work.id &&
      existing.parentExecutionId === parent.executionId;
    if (ours) {
      if (isTerminal(existing.runtimeStatus)) await this.notifyParent(existing);
      else this.schedule(work.instanceId);
      return;
    }
    if (existing && !isTerminal(existing.runtimeStatus)) {
      await this.putInbox(parent.instanceId, [
        {
          key: `c-${parent.executionId}-${work.id}`,
          kind: "answer",
          executionId: parent.executionId,
          visibleAt: 0,
          seq: this.nextSeq(),
          event: {
            EventType: HistoryEventType.SubOrchestrationInstanceFailed,
            EventId: -1,
            IsPlayed: false,
            Timestamp: this.clock().toISOString(),
            TaskScheduledId: work.id,
            Reason: `An instance with id '${work.instanceId}' is already running.`,
            Details: "",
            FailureDetails: {
              ErrorType: "InvalidOperation",
              ErrorMessage: `An instance with id '${work.instanceId}' is already running.`,
            },
          },
        },
      ]);
      this.schedule(parent.instanceId);
      return;
    }
    const created = await this.createOrRestart(existing, {
      instanceId: work.instanceId,
      name: work.name,
      input: work.input,
      parentInstanceId: parent.instanceId,
      parentTaskId: work.id,
      parentExecutionId: parent.executionId,
    });
    if (created) this.schedule(work.instanceId);
  }

  private startActivity(instanceId: string, executionId: number, work: ActivityWork): void {
    this.track(this.runActivity(instanceId, executionId, work));
  }

  private async runActivity(
    instanceId: string,
    executionId: number,
    work: ActivityWork,
  ): Promise<void> {
    await this.activitySlots.acquire();
    let event: HistoryEvent;
    const stampNow = (): string => this.clock().toISOString();
    try {
      if (this.stopped) return;
      const fn = this.activities.get(work.name);
      if (!fn)
        throw new UnknownFunctionError(
          `The activity function '${work.name}' is not registered in this app.`,
        );
      const result = await this.invoker.invoke(fn, {
        inputData: [{ name: fn.triggerBindingName, data: { json: work.input } }],
        triggerMetadata: {},
      });
      const value = decodeTyped(result.returnValue);
      event = {
        EventType: HistoryEventType.TaskCompleted,
        EventId: -1,
        IsPlayed: false,
        Timestamp: stampNow(),
        TaskScheduledId: work.id,
        Result: JSON.stringify(value ?? null),
      };
    } catch (error) {
      const failure = describeThrown(error);
      event = {
        EventType: HistoryEventType.TaskFailed,
        EventId: -1,
        IsPlayed: false,
        Timestamp: stampNow(),
        TaskScheduledId: work.id,
        Reason: `Activity function '${work.name}' failed: ${failure.message}`,
        Details: failure.stack,
        FailureDetails: {
          ErrorType: failure.errorType,
          ErrorMessage: failure.message,
          StackTrace: failure.stack,
        },
      };
    } finally {
      this.activitySlots.release();
    }
    this.stats.activities++;
    const message: InboxMessage = {
      key: `c-${executionId}-${work.id}`,
      kind: "answer",
      executionId,
      visibleAt: 0,
      seq: this.nextSeq(),
      event,
    };
    await this.deliverAnswer(instanceId, message);
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
    for (let attempt = 1; ; attempt++) {
      try {
        await this.putInbox(instanceId, messages);
        break;
      } catch (error) {
        if (attempt >= 5 || this.stopped) throw error;
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
    this.schedule(instanceId);
  }

  private async createOrRestart(
    existing: InstanceRecord | undefined,
    init: {
      instanceId: string;
      name: string;
      input: string;
      parentInstanceId?: string;
      parentTaskId?: number;
      parentExecutionId?: number;
    },
  ): Promise<InstanceRecord | undefined> {
    const stamp = this.clock().toISOString();
    const record: InstanceRecord = {
      instanceId: init.instanceId,
      name: init.name,
      runtimeStatus: "Pending",
      input: init.input,
      output: "null",
      customStatus: "null",
      createdTime: stamp,
      lastUpdatedTime: stamp,
      executionId: existing ? existing.executionId + 1 : 0,
      historyLength: 0,
      logLines: 0,
      parentInstanceId: init.parentInstanceId ?? "",
      parentTaskId: init.parentTaskId ?? -1,
      parentExecutionId: init.parentExecutionId ?? 0,
      etag: existing?.etag,
    };
    const ok = await this.writeRecord(record, !existing);
    if (!ok) return undefined;
    this.historyCache.delete(init.instanceId);
    this.reconciled.add(init.instanceId);
    return record;
  }

  // ---- management operations -------------------------------------------------------------

  hasOrchestrator(name: string): boolean {
    return this.orchestrators.has(name);
  }

  /**
   * Starts an instance. A taken id whose instance is still going is a conflict; a finished
   * one is started over, as Durable does with its default `overridableExistingInstanceStates`.
   */
  async startNew(
    name: string,
    instanceId: string | undefined,
    input: string,
  ): Promise<InstanceRecord> {
    if (!this.orchestrators.has(name)) {
      throw new UnknownFunctionError(
        `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.`,
      );
    }
    const id = instanceId ?? randomUUID().replace(/-/g, "");
    const existing = instanceId ? await this.loadRecord(id) : undefined;
    if (existing && !isTerminal(existing.runtimeStatus)) {
      throw new StartConflictError(`An instance with ID '${id}' already exists.`);
    }
    if (existing)
      await this.deleteInbox(
        id,
        (await this.readInbox(id)).map((m) => m.key),
      );
    const record = await this.createOrRestart(existing, { instanceId: id, name, input });
    if (!record) throw new StartConflictError(`An instance with ID '${id}' already exists.`);
    this.schedule(id);
    return record;
  }

  async getInstance(instanceId: string): Promise<InstanceRecord | undefined> {
    return this.loadRecord(instanceId);
  }

  async getHistory(record: InstanceRecord): Promise<HistoryEvent[]> {
    return this.store.readHistory(record.instanceId, record.executionId, record.historyLength);
  }

  /** Queues an external event; resolves the status code of the Durable HTTP API. */
  async raiseEvent(instanceId: string, eventName: string, data: string): Promise<202 | 404 | 410> {
    const record = await this.loadRecord(instanceId);
    if (!record) return 404;
    if (isTerminal(record.runtimeStatus)) return 410;
    const seq = this.nextSeq();
    await this.putInbox(instanceId, [
      {
        key: `e-${seq}`,
        kind: "event",
        executionId: 0,
        visibleAt: 0,
        seq,
        event: {
          EventType: HistoryEventType.EventRaised,
          EventId: -1,
          IsPlayed: false,
          Timestamp: this.clock().toISOString(),
          Name: eventName,
          Input: data,
        },
      },
    ]);
    this.schedule(instanceId);
    return 202;
  }

  async terminate(instanceId: string, reason: string): Promise<202 | 404 | 410> {
    const record = await this.loadRecord(instanceId);
    if (!record) return 404;
    if (isTerminal(record.runtimeStatus)) return 410;
    const seq = this.nextSeq();
    await this.putInbox(instanceId, [
      {
        key: `x-${seq}`,
        kind: "terminate",
        executionId: 0,
        visibleAt: 0,
        seq,
        event: {
          EventType: HistoryEventType.ExecutionTerminated,
          EventId: -1,
          IsPlayed: false,
          Timestamp: this.clock().toISOString(),
          Input: reason,
        },
      },
    ]);
    this.schedule(instanceId);
    return 202;
  }

  async purge(instanceId: string): Promise<200 | 404 | 412> {
    const record = await this.loadRecord(instanceId);
    if (!record) return 404;
    if (!isTerminal(record.runtimeStatus)) return 412;
    this.forget(instanceId);
    await this.writing(instanceId, () => this.store.deleteInstance(instanceId));
    this.forget(instanceId);
    return 200;
  }

  async list(query: ListQuery): Promise<{ items: InstanceRecord[]; continuationToken?: string }> {
    return this.store.listInstances(query);
  }
}

function failedPlan(message: string, details: string, customStatus?: unknown): TurnPlan {
  return {
    appended: [
      {
        EventType: HistoryEventType.OrchestratorCompleted,
        EventId: -1,
        IsPlayed: false,
        Timestamp: new Date().toISOString(),
      },
    ],
    activities: [],
    subOrchestrations: [],
    timers: [],
    cancelledTimers: [],
    immediateAnswers: [],
    outcome: { kind: "failed", message, details },
    customStatus,
  };
}

/** The value of RPC typed data (what a handler returned). */
export function decodeTyped(data: RpcTypedDataLike | null | undefined): unknown {
  if (!data) return undefined;
  if (typeof data.json === "string") return JSON.parse(data.json) as unknown;
  if (typeof data.string === "string") return data.string;
  if (typeof data.int === "number") return data.int;
  if (typeof data.double === "number") return data.double;
  if (data.bytes) return Buffer.from(data.bytes).toString("base64");
  return undefined;
}
