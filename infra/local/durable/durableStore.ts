/**
 * The task hub on Azure Table storage (Azurite locally); tables and rows as `storageRows.ts`
 * lays them out.
 * - `<hub>Instances`: status, input, output, custom status, the current execution and how many
 *   of its history rows are committed. That count is the commit point of an episode.
 * - `<hub>History`: the history rows. Rows past the committed count are leftovers of an
 *   interrupted episode and are rewritten.
 * - `<hub>Inbox`: messages for an instance: activity and sub-orchestration answers, timers
 *   (with `VisibleAt`), raised events, terminate requests. Answers have deterministic keys,
 *   so writing one twice is harmless.
 * Every service call is counted in `operations`, for the benchmark.
 */
import { untraced } from "./untraced";
import { odata, TableClient, type TransactionAction } from "@azure/data-tables";
import { bySeq } from "./inboxMessages";
import type { HistoryEvent } from "./protocol";
import {
  eventOfHistoryRow,
  historyRow,
  historyRowKey,
  INSTANCE_ROW_KEY,
  inboxRow,
  instanceOfRow,
  instanceRow,
  messageOfInboxRow,
  rowRef,
  tableNames,
} from "./storageRows";
import type {
  InboxMessage,
  InstancePage,
  InstanceRecord,
  ListQuery,
  TaskHubStore,
} from "./taskHubStore";

const BATCH = 100;

function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number }).statusCode;
}

export class DurableStore implements TaskHubStore {
  operations = 0;
  /** Service calls by kind (table point operation, query page, batch), for the benchmark. */
  readonly operationsByKind: Record<string, number> = {};
  private readonly instances: TableClient;
  private readonly history: TableClient;
  private readonly inbox: TableClient;
  /** The partition leases' table (`partitionLeases.ts` reads and writes it). */
  readonly partitions: TableClient;

  constructor(
    connectionString: string,
    readonly hubName: string,
  ) {
    const options = /TableEndpoint=http:|UseDevelopmentStorage=true/i.test(connectionString)
      ? { allowInsecureConnection: true }
      : {};
    const names = tableNames(hubName);
    const table = (name: string): TableClient =>
      TableClient.fromConnectionString(connectionString, name, options);
    this.instances = table(names.instances);
    this.history = table(names.history);
    this.inbox = table(names.inbox);
    this.partitions = table(names.partitions);
  }

  /** Counts a service call (also made by the leases and control queues on this account). */
  count(kind: string): void {
    this.operations++;
    this.operationsByKind[kind] = (this.operationsByKind[kind] ?? 0) + 1;
  }

  async init(): Promise<void> {
    return untraced(async () => {
      for (const t of [this.instances, this.history, this.inbox]) {
        this.count("createTable");
        await t.createTable();
      }
    });
  }

  async getInstance(instanceId: string): Promise<InstanceRecord | undefined> {
    return untraced(async () => {
      this.count("pointRead");
      try {
        return instanceOfRow(await this.instances.getEntity(instanceId, INSTANCE_ROW_KEY));
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
    });
  }

  /** Creates the instance row; resolves false when the id is taken. */
  async createInstance(record: InstanceRecord): Promise<boolean> {
    return untraced(async () => {
      this.count("pointWrite");
      try {
        await this.instances.createEntity(instanceRow(record));
        return true;
      } catch (error) {
        if (statusOf(error) === 409) return false;
        throw error;
      }
    });
  }

  /** Replaces the row if its ETag still matches; resolves false on a lost race. */
  async replaceInstance(record: InstanceRecord): Promise<boolean> {
    return untraced(async () => {
      this.count("pointWrite");
      try {
        const result = await this.instances.updateEntity(instanceRow(record), "Replace", {
          etag: record.etag ?? "*",
        });
        record.etag = result.etag;
        return true;
      } catch (error) {
        if (statusOf(error) === 412) return false;
        throw error;
      }
    });
  }

  async deleteInstance(instanceId: string): Promise<void> {
    return untraced(async () => {
      this.count("pointWrite");
      await this.instances.deleteEntity(instanceId, INSTANCE_ROW_KEY);
      await this.deletePartition(this.history, instanceId);
      await this.deletePartition(this.inbox, instanceId);
    });
  }

  private async deletePartition(table: TableClient, pk: string): Promise<void> {
    return untraced(async () => {
      const keys: string[] = [];
      this.count("query");
      for await (const row of table.listEntities({
        queryOptions: { filter: odata`PartitionKey eq ${pk}`, select: ["RowKey"] },
      })) {
        keys.push(String(row.rowKey));
      }
      await this.batch(
        table,
        keys.map((rk) => ["delete", rowRef(pk, rk)] as TransactionAction),
      );
    });
  }

  private async batch(table: TableClient, actions: TransactionAction[]): Promise<void> {
    return untraced(async () => {
      for (let i = 0; i < actions.length; i += BATCH) {
        this.count("batch");
        await table.submitTransaction(actions.slice(i, i + BATCH));
      }
    });
  }

  async readHistory(
    instanceId: string,
    executionId: number,
    length: number,
  ): Promise<HistoryEvent[]> {
    return untraced(async () => {
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
        this.count("query");
        for (const row of page) events.push(eventOfHistoryRow(row));
      }
      return events;
    });
  }

  async writeHistory(
    instanceId: string,
    executionId: number,
    startIndex: number,
    events: readonly HistoryEvent[],
  ): Promise<void> {
    return untraced(async () => {
      await this.batch(
        this.history,
        events.map(
          (e, i) =>
            [
              "upsert",
              historyRow(instanceId, executionId, startIndex + i, e),
              "Replace",
            ] as TransactionAction,
        ),
      );
    });
  }

  async readInbox(instanceId: string): Promise<InboxMessage[]> {
    return untraced(async () => {
      const out: InboxMessage[] = [];
      const pages = this.inbox
        .listEntities<Record<string, unknown>>({
          queryOptions: { filter: odata`PartitionKey eq ${instanceId}` },
        })
        .byPage({ maxPageSize: 1000 });
      for await (const page of pages) {
        this.count("query");
        for (const row of page) out.push(messageOfInboxRow(row));
      }
      return out.sort(bySeq);
    });
  }

  async putInbox(instanceId: string, messages: readonly InboxMessage[]): Promise<void> {
    return untraced(async () => {
      if (messages.length === 1 && messages[0]) {
        this.count("pointWrite");
        await this.inbox.upsertEntity(inboxRow(instanceId, messages[0]), "Replace");
        return;
      }
      await this.batch(
        this.inbox,
        messages.map((m) => ["upsert", inboxRow(instanceId, m), "Replace"] as TransactionAction),
      );
    });
  }

  /** Deletes messages; ones already gone are fine (a batch fails as a whole, so retry one by one). */
  async deleteInbox(instanceId: string, keys: readonly string[]): Promise<void> {
    return untraced(async () => {
      try {
        await this.batch(
          this.inbox,
          keys.map((rk) => ["delete", rowRef(instanceId, rk)] as TransactionAction),
        );
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
        for (const rk of keys) {
          this.count("pointWrite");
          try {
            await this.inbox.deleteEntity(instanceId, rk);
          } catch (inner) {
            if (statusOf(inner) !== 404) throw inner;
          }
        }
      }
    });
  }

  /** Instances whose status is not terminal (crash recovery). */
  async listActive(): Promise<InstanceRecord[]> {
    return untraced(async () => {
      const out: InstanceRecord[] = [];
      const filter =
        "RuntimeStatus eq 'Pending' or RuntimeStatus eq 'Running' or RuntimeStatus eq 'ContinuedAsNew'";
      for await (const page of this.instances
        .listEntities({ queryOptions: { filter } })
        .byPage({ maxPageSize: 1000 })) {
        this.count("query");
        for (const row of page) out.push(instanceOfRow(row));
      }
      return out;
    });
  }

  /** One page of instances matching the query; the token is the next page's start. */
  async listInstances(q: ListQuery): Promise<InstancePage> {
    return untraced(async () => {
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
        this.count("query");
        for (const row of page) {
          if (items.length < top) items.push(instanceOfRow(row));
        }
        if (items.length >= top) {
          const lastItem = items[items.length - 1];
          const more = page.length > items.length || page.continuationToken !== undefined;
          return { items, continuationToken: more && lastItem ? lastItem.instanceId : undefined };
        }
      }
      return { items };
    });
  }
}
