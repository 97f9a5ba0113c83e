/**
 * Invokes an orchestrator for one episode and plans its answer. The orchestrator gets the
 * whole history (earlier events played, this episode's new) in the binding data the Durable
 * extension gives out-of-process orchestrators; what it returns (`OrchestratorState`) goes to
 * the replay planner. Whatever goes wrong (no such orchestrator, no state returned, an
 * exception) becomes a plan that fails the execution.
 */
import { randomUUID } from "node:crypto";
import type { FunctionInvoker, RegisteredFunction } from "../host/plugin";
import { describeThrown, stateOfFailure } from "./failure";
import { orchestratorCompleted } from "./historyEvents";
import { REPLAY_SCHEMA_V1, type HistoryEvent, type OrchestratorStateWire } from "./protocol";
import { planTurn } from "./replayPlanner";
import type { InstanceRecord } from "./taskHubStore";
import { failedPlan, type TurnPlan } from "./turnPlan";
import { decodeTyped } from "./typedData";

/** The binding data field that names the episode (its log gate) to the pre-invocation hook. */
export const EPISODE_FIELD = "localEngineEpisode";

/** What an episode's orchestrator invocation may log: lines already written on earlier episodes are skipped. */
export interface EpisodeLogGate {
  skip: number;
  count: number;
  /** What the orchestrator threw, when it threw (the library passes on only its message). */
  thrown?: { value: unknown };
}

export interface EpisodeInput {
  record: InstanceRecord;
  /** The execution's committed history. */
  history: readonly HistoryEvent[];
  /** This episode's `OrchestratorStarted`. */
  started: HistoryEvent;
  /** The events this episode delivers (`ExecutionStarted` first on the first episode). */
  delivered: readonly HistoryEvent[];
  now: Date;
}

export interface OrchestratorAnswer {
  plan: TurnPlan;
  /** Log lines the execution has written, this episode's included. */
  logLines: number;
}

export class OrchestratorInvoker {
  /** Log gates of the episodes being invoked, by episode id (read by the plugin's hook). */
  readonly logGates = new Map<string, EpisodeLogGate>();
  private readonly functions = new Map<string, RegisteredFunction>();

  constructor(
    private readonly invoker: FunctionInvoker,
    functions: readonly RegisteredFunction[],
  ) {
    for (const fn of functions) {
      if (fn.triggerType === "orchestrationTrigger") this.functions.set(fn.name, fn);
    }
  }

  has(name: string): boolean {
    return this.functions.has(name);
  }

  async run(episode: EpisodeInput): Promise<OrchestratorAnswer> {
    const { record } = episode;
    const stamp = episode.now.toISOString();
    const fail = (message: string, details = "", customStatus?: unknown): TurnPlan =>
      failedPlan(message, details, { appended: [orchestratorCompleted(stamp)], customStatus });
    const fn = this.functions.get(record.name);
    if (!fn) {
      const message = `The orchestrator function '${record.name}' is not registered in this app.`;
      return { plan: fail(message), logLines: 0 };
    }
    const episodeId = randomUUID();
    const data = { string: JSON.stringify(bindingInfo(episode, episodeId)) };
    const gate: EpisodeLogGate = { skip: record.logLines, count: 0 };
    this.logGates.set(episodeId, gate);
    let plan: TurnPlan;
    try {
      const result = await this.invoker.invoke(fn, {
        inputData: [{ name: fn.triggerBindingName, data }],
        triggerMetadata: {},
      });
      const state = decodeTyped(result.returnValue) as OrchestratorStateWire | undefined;
      plan =
        state && Array.isArray(state.actions)
          ? planTurn({
              orchestrationName: record.name,
              instanceId: record.instanceId,
              history: episode.history,
              delivered: episode.delivered,
              state,
              now: episode.now,
            })
          : fail(
              `The orchestrator function '${record.name}' did not return an orchestration state; register it with df.app.orchestration.`,
            );
    } catch (error) {
      const state = stateOfFailure(error) as OrchestratorStateWire | undefined;
      const failure = gate.thrown
        ? describeThrown(gate.thrown.value)
        : state?.error
          ? { ...describeThrown(error), message: state.error }
          : describeThrown(error);
      plan = fail(
        `Orchestrator function '${record.name}' failed: ${failure.message}`,
        failure.stack,
        state?.customStatus,
      );
    } finally {
      this.logGates.delete(episodeId);
    }
    return { plan, logLines: gate.count };
  }
}

/** The orchestration trigger's data, as the Durable extension gives it (`DurableOrchestrationBindingInfo`). */
function bindingInfo(episode: EpisodeInput, episodeId: string): Record<string, unknown> {
  const { record, history } = episode;
  return {
    history: [
      ...history.map((e) => ({ ...e, IsPlayed: true })),
      episode.started,
      ...episode.delivered,
    ],
    input: JSON.parse(record.input) as unknown,
    instanceId: record.instanceId,
    isReplaying: history.length > 0,
    parentInstanceId: record.parentInstanceId || undefined,
    upperSchemaVersion: REPLAY_SCHEMA_V1,
    [EPISODE_FIELD]: episodeId,
  };
}
