/**
 * Which instances this host runs: those of the partitions whose leases it holds
 * (`PartitionLeases`). Work for an instance of another partition goes through storage: its
 * rows are written there and its partition's control queue wakes the owner (`ControlQueues`).
 * When a lease is taken, everything cached of the partition's instances is dropped, its queue
 * is polled and each of its unfinished instances runs; when a lease is handed over, the
 * partition's episodes (and for a while its activities) finish first.
 */
import type { TableClient } from "@azure/data-tables";
import type { HostLogger } from "../host/plugin";
import { ControlQueues } from "./controlQueues";
import { PartitionLeases } from "./partitionLeases";
import { partitionOf } from "./partitions";

export interface OwnershipEngine {
  /** Drops what is cached of these instances (rows, inboxes, histories, reconciliation). */
  forget(matches: (instanceId: string) => boolean): void;
  /** Drops the cached row and inbox of an instance another host wrote to. */
  touched(instanceId: string): void;
  /** Runs an episode of the instance soon. */
  schedule(instanceId: string): void;
  /** Unfinished instances in storage. */
  activeInstances(): Promise<string[]>;
  /** Resolves once no episode (and, for a while, no activity) of these instances runs. */
  drain(matches: (instanceId: string) => boolean): Promise<void>;
}

export interface PartitionOwnershipOptions {
  readonly workerId: string;
  readonly partitionCount: number;
  readonly hubName: string;
  readonly connectionString: string;
  readonly leasesTable: TableClient;
  readonly engine: OwnershipEngine;
  readonly logger: HostLogger;
  readonly counted?: (kind: string) => void;
  readonly leaseMs?: number;
  readonly renewMs?: number;
}

const WAKE_ATTEMPTS = 5;

export class PartitionOwnership {
  private readonly leases: PartitionLeases;
  private readonly queues: ControlQueues;

  constructor(private readonly options: PartitionOwnershipOptions) {
    const { engine, partitionCount } = options;
    const inPartition = (p: number) => (id: string) => partitionOf(id, partitionCount) === p;
    this.queues = new ControlQueues({
      connectionString: options.connectionString,
      hubName: options.hubName,
      partitionCount,
      logger: options.logger,
      counted: options.counted,
      wake: (instanceId) => {
        if (!this.owns(instanceId)) return false;
        engine.touched(instanceId);
        engine.schedule(instanceId);
        return true;
      },
    });
    this.leases = new PartitionLeases({
      table: options.leasesTable,
      workerId: options.workerId,
      partitionCount,
      logger: options.logger,
      counted: options.counted,
      leaseMs: options.leaseMs,
      renewMs: options.renewMs,
      hooks: {
        acquired: async (p) => {
          engine.forget(inPartition(p));
          this.queues.startPolling(p);
          for (const id of await engine.activeInstances()) {
            if (inPartition(p)(id)) engine.schedule(id);
          }
        },
        releasing: async (p) => {
          await this.queues.stopPolling(p);
          await engine.drain(inPartition(p));
          engine.forget(inPartition(p));
        },
        lost: (p) => {
          void this.queues.stopPolling(p);
          engine.forget(inPartition(p));
        },
      },
    });
  }

  get workerId(): string {
    return this.options.workerId;
  }

  /** True while this host holds the lease of the instance's partition. */
  owns(instanceId: string): boolean {
    return this.leases.owns(partitionOf(instanceId, this.options.partitionCount));
  }

  ownedPartitions(): number[] {
    return this.leases.owned();
  }

  async start(): Promise<void> {
    await this.queues.init();
    await this.leases.start();
  }

  /**
   * Has the instance run: here if this host owns it, else by a wake-up in its partition's
   * control queue (its new work is in storage already).
   */
  async deliver(instanceId: string): Promise<void> {
    if (this.owns(instanceId)) {
      this.options.engine.schedule(instanceId);
      return;
    }
    const partition = partitionOf(instanceId, this.options.partitionCount);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.queues.send(partition, instanceId);
        return;
      } catch (error) {
        if (attempt >= WAKE_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  async stop(): Promise<void> {
    await this.queues.stop();
    await this.leases.stop();
  }
}
