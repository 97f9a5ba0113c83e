/**
 * Durable state of one task hub in Azure Table storage (Azurite locally):
 * - `<hub>Instances`: one row per instance (PartitionKey = instance id, RowKey = ""), holding
 *   status, input, output, custom status, the current execution and how many of its history
 *   rows are committed. That count is the commit point of an episode.
 * - `<hub>History`: the history rows (PartitionKey = instance id, RowKey = execution + index).
 *   Rows past the committed count are leftovers of an interrupted episode and are rewritten.
 * - `<hub>Inbox`: messages for an instance (PartitionKey = instance id): activity and
 *   sub-orchestration answers, timers (with `VisibleAt`), raised events, terminate requests.
 *   Answers have deterministic keys, so writing one twice is harmless.
 * Every service call is counted in `operations`, for the benchmark.
 */
import {
  odata,
  TableClient,
  type TableEntityResult,
  type TransactionAction,
} from "@azure/data-tables";
import type { HistoryEvent, RuntimeStatus } from "./protocol";

export interface InstanceRecord {
  instanceId: string;
  name: string;
  runtimeStatus: RuntimeStatus;
  input: string;
  output: string;
  customStatus: string;
  createdTime: string;
  lastUpdatedTime: string;
  executionId: number;
  historyLength: number;
  /** Orchestrator log lines written so far in this execution (replayed lines are not rewritten). */
  logLines: number;
  parentInstanceId: string;
  parentTaskId: number;
  parentExecutionId: number;
  etag?: string;
}

export type InboxKind = "answer" | "timer" | "event" | "terminate";

export interface InboxMessage {
  key: string;
  kind: InboxKind;
  /** Answers and timers belong to one execution; events and terminate requests do not. */
  executionId: number;
  /** Epoch ms before which the message is not delivered (timers). */
  visibleAt: number;
  /** Delivery order. */
  seq: string;
  event: HistoryEvent;
}

export interface ListQuery {
  runtimeStatus?: string[];
  createdTimeFrom?: string;
  createdTimeTo?: string;
  instanceIdPrefix?: string;
  top?: number;
  continuationToken?: string;
}

const BATCH = 100;

function str(value: unknown, fallback: string): string {
  return typeof value === "string"
    ? value
    : value === undefined || value === null
      ? fallback
      : JSON.stringify(value);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

export function historyRowKey(executionId: number, index: number): string {
  return `${pad(executionId, 6)}-${pad(index, 8)}`;
}

type Row = Record<string, unknown> & { partitionKey: string; rowKey: string };

export class DurableStore {
  operations = 0;
  private readonly instances: TableClient;
  private readonly history: TableClient;
  private readonly inbox: TableClient;

  constructor(
    connectionString: string,
    readonly hubName: string,
  ) {
    const options = /TableEndpoint=http:|UseDevelopmentStorage=true/i.test(connectionString)
      ? { allowInsecureConnection: true }
      : {};
    this.instances = TableClient.fromConnectionString(
      connectionString,
      `${hubName}Instances`,
      options,
    );
    this.history = TableClient.fromConnectionString(connectionString, `${hubName}History`, options);
    this.inbox = TableClient.fromConnectionString(connectionString, `${hubName}Inbox`, options);
  }

  async init(): Promise<void> {
    for (const t of [this.instances, this.history, this.inbox]) {
      this.operations++;
      await t.createTable();
    }
  }

  private static toRecord(row: TableEntityResult<Record<string, unknown>>): InstanceRecord {
    return {
      instanceId: String(row.partitionKey),
      name: str(row.Name, ""),
      runtimeStatus: String(row.RuntimeStatus) as RuntimeStatus,
      input: str(row.Input, "null"),
      output: str(row.Output, "null"),
      customStatus: str(row.CustomStatus, "null"),
      createdTime: String(row.CreatedTime),
      lastUpdatedTime: String(row.LastUpdatedTime),
      executionId: Number(row.ExecutionId ?? 0),
      historyLength: Number(row.HistoryLength ?? 0),
      logLines: Number(row.LogLines ?? 0),
      parentInstanceId: str(row.ParentInstanceId, ""),
      parentTaskId: Number(row.ParentTaskId ?? -1),
      parentExecutionId: Number(row.ParentExecutionId ?? 0),
      etag: row.etag,
    };
  }

  private static toRow(r: InstanceRecord): Row {
    return {
      partitionKey: r.instanceId,
      rowKey: "",
      Name: r.name,
      RuntimeStatus: r.runtimeStatus,
      Input: r.input,
      Output: r.output,
      CustomStatus: r.customStatus,
      CreatedTime: r.createdTime,
      LastUpdatedTime: r.lastUpdatedTime,
      ExecutionId: r.executionId,
      HistoryLength: r.historyLength,
      LogLines: r.logLines,
      ParentInstanceId: r.parentInstanceId,
      ParentTaskId: r.parentTaskId,
      ParentExecutionId: r.parentExecutionId,
    };
  }

  async getInstance(instanceId: string): Promise<InstanceRecord | undefined> {
    this.operations++;
    try {
      return DurableStore.toRecord(await this.instances.getEntity(instanceId, ""));
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  }

  /** Creates the instance row; resolves false when the id is taken. */
  async createInstance(record: InstanceRecord): Promise<boolean> {
    this.operations++;
    try {
      await this.instances.createEntity(DurableStore.toRow(record));
      return true;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 409) return false;
      throw error;
    }
  }

  /** Replaces the row if its ETag still matches; resolves false on a lost race. */
  async replaceInstance(record: InstanceRecord): Promise<boolean> {
    this.operations++;
    try {
      const result = await this.instances.updateEntity(DurableStore.toRow(record), "Replace", {
        etag: record.etag ?? "*",
      });
      record.etag = result.etag;
      return true;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 412) return false;
      throw error;
    }
  }

  async deleteInstance(instanceId: string): Promise<void> {
    this.operations++;
    await this.instances.deleteEntity(instanceId, "");
    await this.deletePartition(this.history, instanceId);
    await this.deletePartition(this.inbox, instanceId);
  }

  private async deletePartition(table: TableClient, pk: string): Promise<void> {
    const keys: string[] = [];
    this.operations++;
    for await (const row of table.listEntities({
      queryOptions: { filter: odata`PartitionKey eq ${pk}`, select: ["RowKey"] },
    })) {
      keys.push(String(row.rowKey));
    }
    await this.batch(
      table,
      keys.map((rk) => ["delete", { partitionKey: pk, rowKey: rk }] as TransactionAction),
    );
  }

  private async batch(table: TableClient, actions: TransactionAction[]): Promise<void> {
    for (let i = 0; i < actions.length; i += BATCH) {
      this.operations++;
      await table.submitTransaction(actions.slice(i, i + BATCH));
    }
  }

  async readHistory(
    instanceId: string,
    executionId: number,
    length: number,
  ): Promise<HistoryEvent[]> {
    if (length === 0) return [];
    const from = historyRowKey(executionId, 0);
    const to = historyRowKey(executionId, length);
    const events: HistoryEvent[] = [];
    const pages = this.history
      .listEntities<{ Event: string }>({
        queryOptions: {
          filter: odata`PartitionKey eq ${instanceId} and RowKey ge ${from} and RowKey lt ${to}`,
        },
      })
      .byPage({ maxPageSize: 1000 });
    for await (const page of pages) {
      this.operations++;
      for (const row of page) events.push(JSON.parse(row.Event) as HistoryEvent);
    }
    return events;
  }

  async writeHistory(
    instanceId: string,
    executionId: number,
    startIndex: number,
    events: readonly HistoryEvent[],
  ): Promise<void> {
    await this.batch(
      this.history,
      events.map(
        (e, i) =>
          [
            "upsert",
            {
              partitionKey: instanceId,
              rowKey: historyRowKey(executionId, startIndex + i),
              Event: JSON.stringify(e),
            },
            "Replace",
          ] as TransactionAction,
      ),
    );
  }

  async readInbox(instanceId: string): Promise<InboxMessage[]> {
    const out: InboxMessage[] = [];
    const pages = this.inbox
      .listEntities<Record<string, unknown>>({
        queryOptions: { filter: odata`PartitionKey eq ${instanceId}` },
      })
      .byPage({ maxPageSize: 1000 });
    for await (const page of pages) {
      this.operations++;
      for (const row of page) {
        out.push({
          key: String(row.rowKey),
          kind: String(row.Kind) as InboxKind,
          executionId: Number(row.ExecutionId ?? 0),
          visibleAt: Number(row.VisibleAt ?? 0),
          seq: str(row.Seq, ""),
          event: JSON.parse(String(row.Event)) as HistoryEvent,
        });
      }
    }
    return out.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
  }

  private static inboxRow(instanceId: string, m: InboxMessage): Row {
    return {
      partitionKey: instanceId,
      rowKey: m.key,
      Kind: m.kind,
      ExecutionId: m.executionId,
      VisibleAt: m.visibleAt,
      Seq: m.seq,
      Event: JSON.stringify(m.event),
    };
  }

  async putInbox(instanceId: string, messages: readonly InboxMessage[]): Promise<void> {
    if (messages.length === 1 && messages[0]) {
      this.operations++;
      await this.inbox.upsertEntity(DurableStore.inboxRow(instanceId, messages[0]), "Replace");
      return;
    }
    await this.batch(
      this.inbox,
      messages.map(
        (m) => ["upsert", DurableStore.inboxRow(instanceId, m), "Replace"] as TransactionAction,
      ),
    );
  }

  /** Deletes messages; ones already gone are fine (a batch fails as a whole, so retry one by one). */
  async deleteInbox(instanceId: string, keys: readonly string[]): Promise<void> {
    try {
      await this.batch(
        this.inbox,
        keys.map((rk) => ["delete", { partitionKey: instanceId, rowKey: rk }] as TransactionAction),
      );
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      for (const rk of keys) {
        this.operations++;
        try {
          await this.inbox.deleteEntity(instanceId, rk);
        } catch (inner) {
          if ((inner as { statusCode?: number }).statusCode !== 404) throw inner;
        }
      }
    }
  }

  /** Instances whose status is not terminal (crash recovery). */
  async listActive(): Promise<InstanceRecord[]> {
    const out: InstanceRecord[] = [];
    const filter =
      "RuntimeStatus eq 'Pending' or RuntimeStatus eq 'Running' or RuntimeStatus eq 'ContinuedAsNew'";
    for await (const page of this.instances
      .listEntities({ queryOptions: { filter } })
      .byPage({ maxPageSize: 1000 })) {
      this.operations++;
      for (const row of page) out.push(DurableStore.toRecord(row));
    }
    return out;
  }

  /** One page of instances matching the query; the token is the next page's start. */
  async listInstances(
    q: ListQuery,
  ): Promise<{ items: InstanceRecord[]; continuationToken?: string }> {
    const clauses: string[] = [];
    if (q.runtimeStatus && q.runtimeStatus.length > 0) {
      clauses.push(`(${q.runtimeStatus.map((s) => odata`RuntimeStatus eq ${s}`).join(" or ")})`);
    }
    if (q.createdTimeFrom) clauses.push(odata`CreatedTime ge ${q.createdTimeFrom}`);
    if (q.createdTimeTo) clauses.push(odata`CreatedTime le ${q.createdTimeTo}`);
    if (q.instanceIdPrefix) {
      clauses.push(odata`PartitionKey ge ${q.instanceIdPrefix}`);
      clauses.push(odata`PartitionKey lt ${q.instanceIdPrefix + "\uffff"}`);
    }
    if (q.continuationToken) clauses.push(odata`PartitionKey gt ${q.continuationToken}`);
    const top = q.top && q.top > 0 ? q.top : 100;
    const items: InstanceRecord[] = [];
    const iterator = this.instances
      .listEntities({ queryOptions: clauses.length > 0 ? { filter: clauses.join(" and ") } : {} })
      .byPage({ maxPageSize: top });
    // Pages of the service may hold fewer rows than asked; gather until `top` or the end.
    for await (const page of iterator) {
      this.operations++;
      for (const row of page) {
        if (items.length < top) items.push(DurableStore.toRecord(row));
      }
      if (items.length >= top) {
        const lastItem = items[items.length - 1];
        const more = page.length > items.length || page.continuationToken !== undefined;
        return { items, continuationToken: more && lastItem ? lastItem.instanceId : undefined };
      }
    }
    return { items };
  }
}
