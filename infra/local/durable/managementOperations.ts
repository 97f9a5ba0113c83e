/**
 * The management operations behind the Durable HTTP API (routed in `managementApi.ts`): start,
 * status, history, raise event, terminate, purge, list. They answer the API's status codes.
 */
import { randomUUID } from "node:crypto";
import { createOrRestart, type EngineParts } from "./engineParts";
import { eventRaised, executionTerminated } from "./historyEvents";
import { isTerminal, type HistoryEvent } from "./protocol";
import type { InboxMessage, InstancePage, InstanceRecord, ListQuery } from "./taskHubStore";

export class StartConflictError extends Error {}
export class UnknownFunctionError extends Error {}

export class ManagementOperations {
  constructor(
    private readonly parts: EngineParts,
    private readonly orchestrators: { has(name: string): boolean },
  ) {}

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
    const { mirror } = this.parts;
    const id = instanceId ?? randomUUID().replace(/-/g, "");
    const existing = instanceId ? await mirror.readRecord(id) : undefined;
    if (existing && !isTerminal(existing.runtimeStatus)) {
      throw new StartConflictError(`An instance with ID '${id}' already exists.`);
    }
    if (existing) {
      await mirror.deleteInbox(
        id,
        (await mirror.readInbox(id)).map((m) => m.key),
      );
    }
    const record = await createOrRestart(this.parts, existing, { instanceId: id, name, input });
    if (!record) throw new StartConflictError(`An instance with ID '${id}' already exists.`);
    await this.parts.deliver(id);
    return record;
  }

  getInstance(instanceId: string): Promise<InstanceRecord | undefined> {
    return this.parts.mirror.readRecord(instanceId);
  }

  getHistory(record: InstanceRecord): Promise<HistoryEvent[]> {
    return this.parts.histories.readStored(record);
  }

  /** Queues an external event; resolves the status code of the Durable HTTP API. */
  raiseEvent(instanceId: string, eventName: string, data: string): Promise<202 | 404 | 410> {
    return this.request(instanceId, () =>
      this.parts.messages.raisedEvent(eventRaised(this.stampNow(), eventName, data)),
    );
  }

  terminate(instanceId: string, reason: string): Promise<202 | 404 | 410> {
    return this.request(instanceId, () =>
      this.parts.messages.terminate(executionTerminated(this.stampNow(), reason)),
    );
  }

  async purge(instanceId: string): Promise<200 | 404 | 412> {
    const record = await this.parts.mirror.readRecord(instanceId);
    if (!record) return 404;
    if (!isTerminal(record.runtimeStatus)) return 412;
    await this.parts.mirror.deleteInstance(instanceId);
    this.parts.histories.forget(instanceId);
    // Its owner, if another host, drops what it holds of it.
    if (!this.parts.owns(instanceId)) await this.parts.deliver(instanceId);
    return 200;
  }

  list(query: ListQuery): Promise<InstancePage> {
    return this.parts.store.listInstances(query);
  }

  /** Puts a request in a running instance's inbox and schedules it; 404 unknown, 410 finished. */
  private async request(instanceId: string, message: () => InboxMessage): Promise<202 | 404 | 410> {
    const record = await this.parts.mirror.readRecord(instanceId);
    if (!record) return 404;
    if (isTerminal(record.runtimeStatus)) return 410;
    await this.parts.mirror.putInbox(instanceId, [message()]);
    await this.parts.deliver(instanceId);
    return 202;
  }

  private stampNow(): string {
    return this.parts.clock().toISOString();
  }
}
