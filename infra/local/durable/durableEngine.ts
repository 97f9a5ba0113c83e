/**
 * The engine: runs orchestrator episodes by replay, activities, timers and sub-orchestrations,
 * and answers the management operations. Storage is the truth (`TaskHubStore`); memory holds
 * only what can be rebuilt: the ready queue, armed timers, a mirror of instance rows and
 * inboxes, and a history cache.
 *
 * One episode of an instance (`EpisodeRunner`): read its row, history and inbox; deliver the
 * due messages as new history events after an `OrchestratorStarted`; invoke the orchestrator
 * with the whole history (`OrchestratorInvoker`); plan the answer (`planTurn`); commit
 * (`EpisodeCommit`): write the new history rows, then timers, then the instance row (the
 * commit point), then delete the delivered messages; only then start the activities
 * (`ActivityRunner`) and sub-orchestrations (`SubOrchestrations`) it scheduled. A crash
 * anywhere leaves either the old commit (the episode reruns: same history, same decisions,
 * rows rewritten) or the new one (delivered messages are recognised as already in the history
 * and dropped). On the first episode of an instance in a process, scheduled work without an
 * answer is started again: at most the activities that were in flight run twice.
 */
import { EventEmitter } from "node:events";
import type { FunctionInvoker, HostLogger, RegisteredFunction } from "../host/plugin";
import { ActivityRunner } from "./activityRunner";
import { forgetInstance, type EngineParts, type EngineStats } from "./engineParts";
import { EpisodeCommit } from "./episodeCommit";
import { EpisodeRunner } from "./episodeRunner";
import { EpisodeScheduler } from "./episodeScheduler";
import { describeThrown } from "./failure";
import { HistoryCache } from "./historyCache";
import { InboxMessages } from "./inboxMessages";
import { InstanceMirror } from "./instanceMirror";
import { ManagementOperations } from "./managementOperations";
import { OrchestratorInvoker, type EpisodeLogGate } from "./orchestratorInvoker";
import type { OwnershipEngine } from "./partitionOwnership";
import { SubOrchestrations } from "./subOrchestrations";
import type { TaskHubStore } from "./taskHubStore";

/** Which instances this host runs, and how the others are woken (`PartitionOwnership`). */
export interface Ownership {
  owns(instanceId: string): boolean;
  ownedPartitions(): number[];
  deliver(instanceId: string): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface DurableEngineOptions {
  store: TaskHubStore;
  /**
   * Splits the task hub with other hosts; given the engine's side, it returns this host's
   * share. Without it this host runs every instance (it is the hub's only host).
   */
  ownership?: (engine: OwnershipEngine) => Ownership;
  invoker: FunctionInvoker;
  functions: readonly RegisteredFunction[];
  logger: HostLogger;
  maxConcurrentOrchestratorFunctions: number;
  maxConcurrentActivityFunctions: number;
  clock?: () => Date;
}

export class DurableEngine {
  readonly store: TaskHubStore;
  /** Emits `finished` with the instance record when an instance reaches a terminal state. */
  readonly events = new EventEmitter();
  /** Completed episodes and activities, for the benchmark. */
  readonly stats: EngineStats = { episodes: 0, activities: 0 };
  readonly management: ManagementOperations;
  private readonly scheduler: EpisodeScheduler;
  private readonly orchestrators: OrchestratorInvoker;
  private readonly ownership: Ownership | undefined;

  constructor(options: DurableEngineOptions) {
    const { store, logger } = options;
    this.store = store;
    const owns = (id: string): boolean => this.ownership?.owns(id) ?? true;
    this.scheduler = new EpisodeScheduler({
      maxConcurrentEpisodes: options.maxConcurrentOrchestratorFunctions,
      runnable: owns,
      runEpisode: (id) => runner.run(id),
      episodeFailed: (id, error) => {
        forgetInstance(parts, id);
        logger.error(`Durable engine: episode of '${id}' failed; it will be retried`, {
          error: describeThrown(error).message,
        });
      },
    });
    const parts: EngineParts = {
      store,
      mirror: new InstanceMirror(store, owns),
      histories: new HistoryCache(store),
      scheduler: this.scheduler,
      messages: new InboxMessages(),
      clock: options.clock ?? (() => new Date()),
      logger,
      events: this.events,
      stats: this.stats,
      reconciled: new Set(),
      owns,
      deliver: async (id) => {
        if (this.ownership) await this.ownership.deliver(id);
        else this.scheduler.schedule(id);
      },
    };
    this.ownership = options.ownership?.({
      forget: (matches) => {
        parts.mirror.forgetWhere(matches);
        parts.histories.forgetWhere(matches);
        for (const id of [...parts.reconciled]) if (matches(id)) parts.reconciled.delete(id);
      },
      touched: (id) => parts.mirror.touched(id),
      schedule: (id) => this.scheduler.schedule(id),
      activeInstances: async () => (await store.listActive()).map((r) => r.instanceId),
      drain: (matches) => this.scheduler.drain(matches),
    });
    this.orchestrators = new OrchestratorInvoker(options.invoker, options.functions);
    const activities = new ActivityRunner(
      parts,
      options.invoker,
      options.functions,
      options.maxConcurrentActivityFunctions,
    );
    const subOrchestrations = new SubOrchestrations(parts);
    const commits = new EpisodeCommit(parts, activities, subOrchestrations);
    const runner = new EpisodeRunner(
      parts,
      this.orchestrators,
      activities,
      subOrchestrations,
      commits,
    );
    this.management = new ManagementOperations(parts, this.orchestrators);
  }

  /** The partitions this host holds (undefined: it runs every instance). */
  ownedPartitions(): number[] | undefined {
    return this.ownership?.ownedPartitions();
  }

  /** Log gates of the orchestrator invocations under way, by episode id. */
  get logGates(): ReadonlyMap<string, EpisodeLogGate> {
    return this.orchestrators.logGates;
  }

  /**
   * Creates the tables and resumes every instance that is not finished: all of them, or, with
   * an ownership, those of the partitions this host takes (and of each it takes later).
   */
  async start(): Promise<void> {
    await this.store.init();
    if (this.ownership) {
      await this.ownership.start();
      return;
    }
    for (const record of await this.store.listActive()) this.scheduler.schedule(record.instanceId);
  }

  /** Runs nothing more, lets the work in flight finish, then hands the partitions back. */
  async stop(): Promise<void> {
    await this.scheduler.stop();
    await this.ownership?.stop();
  }
}
