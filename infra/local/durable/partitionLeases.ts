/**
 * Partition leases in the task hub's `<hub>Partitions` table, so that host instances sharing
 * a task hub split its partitions and never run the same orchestration at once, as Durable's
 * Azure Storage provider does with its table partition manager:
 * - a lease row per partition (`Owner`, `ExpiresAt`, `NextOwner`), a presence row per worker;
 * - every `renewMs` each worker renews its leases (ETag-guarded updates) and its presence;
 *   a lease not renewed for `leaseMs` has expired and any worker may take it;
 * - each worker aims at its fair share, ceil(partitions / live workers): it takes free or
 *   expired leases up to it, and when none is free asks an owner above its share for one by
 *   writing `NextOwner`; that owner stops taking the partition's work, lets what runs finish,
 *   and hands the lease over at its next renewal;
 * - a worker that restarts with the same id (a replaced instance keeps its worker id) takes
 *   its own leases back at once; a graceful stop hands every lease back.
 * The provider's defaults (DurableTask.AzureStorage `AzureStorageOrchestrationServiceSettings`):
 * `LeaseInterval` 30 s, `LeaseRenewInterval` 10 s, `LeaseAcquireInterval` 10 s. A worker that
 * wants more partitions looks again every second, so a new instance gets its share sooner.
 * A lease counts as held only until a third of its time is left since its last renewal, so
 * work in flight ends before anyone else may take the partition.
 */
import { untraced } from "./untraced";
import type { TableClient } from "@azure/data-tables";
import { odata, type TableEntityResult } from "@azure/data-tables";
import type { HostLogger } from "../host/plugin";

export interface LeaseHooks {
  /** The partition is this worker's now: find its instances and run them. */
  acquired(partition: number): Promise<void>;
  /** The partition is being handed over: take none of its work and let what runs finish. */
  releasing(partition: number): Promise<void>;
  /** The partition was lost (taken over or expired): forget its instances. */
  lost(partition: number): void;
}

export interface PartitionLeasesOptions {
  readonly table: TableClient;
  readonly workerId: string;
  readonly partitionCount: number;
  readonly hooks: LeaseHooks;
  readonly logger: HostLogger;
  readonly leaseMs?: number;
  readonly renewMs?: number;
  /** Counts each storage call (the store's operation counters). */
  readonly counted?: (kind: string) => void;
}

export const LEASE_MS = 30_000;
export const RENEW_MS = 10_000;
const WANTING_MS = 1_000;
const LEASES = "lease";
const WORKERS = "worker";

interface LeaseRow {
  partitionKey: string;
  rowKey: string;
  Owner?: string;
  NextOwner?: string;
  ExpiresAt?: number;
}

type Row = TableEntityResult<LeaseRow>;

function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number }).statusCode;
}

export class PartitionLeases {
  /** Owned partitions and until when (epoch ms) each counts as held. */
  private readonly held = new Map<number, number>();
  private readonly releasing = new Set<number>();
  private readonly leaseMs: number;
  private readonly renewMs: number;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: PartitionLeasesOptions) {
    this.leaseMs = options.leaseMs ?? LEASE_MS;
    this.renewMs = options.renewMs ?? RENEW_MS;
  }

  owns(partition: number): boolean {
    const until = this.held.get(partition);
    return until !== undefined && Date.now() < until && !this.releasing.has(partition);
  }

  owned(): number[] {
    return [...this.held.keys()].filter((p) => this.owns(p)).sort((a, b) => a - b);
  }

  /** Creates the table and the lease rows, then takes this worker's first share. */
  async start(): Promise<void> {
    return untraced(async () => {
      const { table } = this.options;
      this.count("createTable");
      await table.createTable();
      for (let p = 0; p < this.options.partitionCount; p++) {
        this.count("pointWrite");
        try {
          await table.createEntity<LeaseRow>({
            partitionKey: LEASES,
            rowKey: key(p),
            Owner: "",
            ExpiresAt: 0,
          });
        } catch (error) {
          if (statusOf(error) !== 409) throw error;
        }
      }
      await this.runTick();
    });
  }

  /** Stops renewing and hands every lease back (the caller has stopped the work). */
  async stop(): Promise<void> {
    return untraced(async () => {
      this.stopped = true;
      if (this.timer) clearTimeout(this.timer);
      await this.ticking;
      const rows = await this.readRows().catch(() => []);
      for (const row of rows) {
        if (row.partitionKey !== LEASES || row.Owner !== this.options.workerId) continue;
        await this.write(row, { Owner: row.NextOwner ?? "", NextOwner: "", ExpiresAt: 0 }).catch(
          () => undefined,
        );
      }
      this.count("pointWrite");
      await this.options.table.deleteEntity(WORKERS, this.options.workerId).catch(() => undefined);
      this.held.clear();
    });
  }

  private count(kind: string): void {
    this.options.counted?.(kind);
  }

  private runTick(): Promise<void> {
    this.ticking = this.tick()
      .catch((error: unknown) => {
        this.options.logger.warn(`partition leases: ${String(error)}; trying again`);
        return this.renewMs;
      })
      .then((next) => {
        if (this.stopped) return;
        this.timer = setTimeout(() => void this.runTick(), next);
        this.timer.unref();
      });
    return this.ticking;
  }

  private async readRows(): Promise<Row[]> {
    return untraced(async () => {
      const rows: Row[] = [];
      this.count("query");
      for await (const row of this.options.table.listEntities<LeaseRow>({
        queryOptions: { filter: odata`PartitionKey eq ${LEASES} or PartitionKey eq ${WORKERS}` },
      })) {
        rows.push(row);
      }
      return rows;
    });
  }

  /** One round: presence, renewals and hand-overs, then acquisitions. Resolves the next delay. */
  private async tick(): Promise<number> {
    return untraced(async () => {
      const me = this.options.workerId;
      const now = Date.now();
      this.count("pointWrite");
      await this.options.table.upsertEntity<LeaseRow>(
        { partitionKey: WORKERS, rowKey: me, ExpiresAt: now + this.leaseMs },
        "Replace",
      );
      const rows = await this.readRows();
      const workers = new Set([me]);
      for (const row of rows) {
        if (row.partitionKey === WORKERS && (row.ExpiresAt ?? 0) > now) workers.add(row.rowKey);
      }
      const leases = rows.filter((r) => r.partitionKey === LEASES);
      const share = Math.ceil(this.options.partitionCount / workers.size);
      let mine = 0;
      for (const lease of leases) {
        if (lease.Owner !== me) continue;
        const p = Number(lease.rowKey);
        const next = lease.NextOwner ?? "";
        if (next !== "" && next !== me && workers.has(next)) {
          await this.handOver(p, lease, next);
          continue;
        }
        if (await this.renew(p, lease)) mine++;
      }
      for (const lease of leases) {
        if (mine >= share) break;
        const free = !lease.Owner || (lease.ExpiresAt ?? 0) <= now;
        if (lease.Owner === me || !free) continue;
        if (await this.renew(Number(lease.rowKey), lease)) mine++;
      }
      if (mine < share) await this.askForOne(leases, workers, share);
      for (const p of [...this.held.keys()]) {
        if (!leases.some((l) => Number(l.rowKey) === p && l.Owner === me)) this.lose(p);
      }
      return mine < share ? WANTING_MS : this.renewMs;
    });
  }

  /**
   * Writes this worker as the owner until a lease interval from now; false if another won.
   * A lease whose held time ran out before the write landed (a slow round on a busy machine)
   * counts as taken again: while it had lapsed, this host dropped the partition's work, so the
   * `acquired` hook finds its instances again.
   */
  private async renew(partition: number, lease: Row): Promise<boolean> {
    return untraced(async () => {
      const heldUntil = this.held.get(partition);
      const written = Date.now();
      try {
        await this.write(lease, {
          Owner: this.options.workerId,
          NextOwner: "",
          ExpiresAt: written + this.leaseMs,
        });
      } catch (error) {
        if (statusOf(error) === 412 || statusOf(error) === 404) {
          this.lose(partition);
          return false;
        }
        throw error;
      }
      const lapsed =
        heldUntil === undefined || Date.now() >= heldUntil || this.releasing.has(partition);
      this.held.set(partition, written + this.leaseMs - this.leaseMs / 3);
      if (lapsed) {
        this.options.logger.info(`partition ${partition} acquired by ${this.options.workerId}`);
        await this.options.hooks.acquired(partition);
      }
      return true;
    });
  }

  private async handOver(partition: number, lease: Row, next: string): Promise<void> {
    return untraced(async () => {
      this.releasing.add(partition);
      try {
        await this.options.hooks.releasing(partition);
        await this.write(lease, {
          Owner: next,
          NextOwner: "",
          ExpiresAt: Date.now() + this.leaseMs,
        });
        this.options.logger.info(`partition ${partition} handed over to ${next}`);
      } finally {
        this.releasing.delete(partition);
        this.held.delete(partition);
      }
    });
  }

  /** Asks the owner of the most partitions, if it has more than its share, for one of them. */
  private async askForOne(leases: Row[], workers: Set<string>, share: number): Promise<void> {
    return untraced(async () => {
      const me = this.options.workerId;
      if (leases.some((l) => l.NextOwner === me)) return;
      const counts = new Map<string, number>();
      for (const l of leases) if (l.Owner) counts.set(l.Owner, (counts.get(l.Owner) ?? 0) + 1);
      const candidate = leases.find(
        (l) =>
          l.Owner &&
          l.Owner !== me &&
          workers.has(l.Owner) &&
          (counts.get(l.Owner) ?? 0) > share &&
          !l.NextOwner,
      );
      if (!candidate) return;
      await this.write(candidate, { NextOwner: me }).catch((error: unknown) => {
        if (statusOf(error) !== 412) throw error;
      });
    });
  }

  private lose(partition: number): void {
    if (!this.held.delete(partition)) return;
    this.options.logger.info(`partition ${partition} lost by ${this.options.workerId}`);
    this.options.hooks.lost(partition);
  }

  private async write(row: Row, changes: Partial<LeaseRow>): Promise<void> {
    return untraced(async () => {
      this.count("pointWrite");
      const entity = { partitionKey: row.partitionKey, rowKey: row.rowKey, ...changes };
      const result = await this.options.table.updateEntity(entity, "Merge", { etag: row.etag });
      row.etag = result.etag ?? row.etag;
      Object.assign(row, changes);
    });
  }
}

function key(partition: number): string {
  return String(partition).padStart(2, "0");
}
