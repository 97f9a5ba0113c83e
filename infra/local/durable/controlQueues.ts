/**
 * The task hub's control queues (`<hub>-control-NN`, one per partition, in the storage
 * account's queue service): how a host instance tells the owner of a partition that one of
 * its instances has new work (a raised event, a start, an answer) that another instance wrote
 * to storage. The message is a wake-up, not the work: the work is in the instance's rows, so a
 * wake-up lost with a dying owner costs nothing (the next owner runs every unfinished
 * instance of the partitions it takes).
 *
 * The owner polls the queues of its partitions, up to 32 messages a call (the provider's
 * `ControlQueueBatchSize`), at once again while messages come, backing off to at most
 * `maxPollMs` while they do not (the provider backs off to `MaxQueuePollingInterval`, 30 s by
 * default; locally a second keeps a quiet stack quick to answer).
 */
import { untraced } from "./untraced";
import type { QueueClient } from "@azure/storage-queue";
import { QueueServiceClient } from "@azure/storage-queue";
import type { HostLogger } from "../host/plugin";
import { controlQueueName } from "./partitions";

const BATCH = 32;
const VISIBILITY_SECONDS = 30;
const FIRST_BACKOFF_MS = 10;

export interface ControlQueuesOptions {
  readonly connectionString: string;
  readonly hubName: string;
  readonly partitionCount: number;
  readonly logger: HostLogger;
  /**
   * Called for each instance named by a message: true once the owner runs it, false when this
   * host does not hold the partition at the moment (its lease lapsed or is being handed
   * over); such a message is left in the queue and comes back after its visibility timeout.
   */
  readonly wake: (instanceId: string) => boolean;
  readonly maxPollMs?: number;
  /** Counts each storage call (the store's operation counters). */
  readonly counted?: (kind: string) => void;
}

export class ControlQueues {
  private readonly queues: QueueClient[];
  private readonly polling = new Map<number, { stop: boolean; done: Promise<void> }>();
  private readonly maxPollMs: number;

  constructor(private readonly options: ControlQueuesOptions) {
    const service = QueueServiceClient.fromConnectionString(options.connectionString);
    this.queues = Array.from({ length: options.partitionCount }, (_, p) =>
      service.getQueueClient(controlQueueName(options.hubName, p)),
    );
    this.maxPollMs = options.maxPollMs ?? 1000;
  }

  private count(kind: string): void {
    this.options.counted?.(kind);
  }

  async init(): Promise<void> {
    return untraced(async () => {
      for (const queue of this.queues) {
        this.count("queue");
        await queue.createIfNotExists();
      }
    });
  }

  /** Tells the partition's owner, whoever it is, to run the instance. */
  async send(partition: number, instanceId: string): Promise<void> {
    return untraced(async () => {
      this.count("queue");
      await (this.queues[partition] as QueueClient).sendMessage(instanceId);
    });
  }

  /** Starts polling the partition's queue (its lease was taken). */
  startPolling(partition: number): void {
    if (this.polling.has(partition)) return;
    const state = { stop: false, done: Promise.resolve() };
    state.done = this.poll(partition, state);
    this.polling.set(partition, state);
  }

  /** Stops polling the partition's queue; resolves once the current call has ended. */
  async stopPolling(partition: number): Promise<void> {
    const state = this.polling.get(partition);
    if (!state) return;
    state.stop = true;
    this.polling.delete(partition);
    await state.done;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.polling.keys()].map((p) => this.stopPolling(p)));
  }

  private async poll(partition: number, state: { stop: boolean }): Promise<void> {
    return untraced(async () => {
      const queue = this.queues[partition] as QueueClient;
      let backoff = 0;
      while (!state.stop) {
        if (backoff > 0) await new Promise((resolve) => setTimeout(resolve, backoff).unref());
        if (state.stop) return;
        try {
          this.count("queue");
          const { receivedMessageItems: items } = await queue.receiveMessages({
            numberOfMessages: BATCH,
            visibilityTimeout: VISIBILITY_SECONDS,
          });
          if (state.stop) return;
          const taken = items.filter((item) => this.options.wake(item.messageText));
          await Promise.all(
            taken.map((item) => {
              this.count("queue");
              return queue.deleteMessage(item.messageId, item.popReceipt);
            }),
          );
          backoff =
            items.length > 0
              ? 0
              : Math.min(Math.max(FIRST_BACKOFF_MS, backoff * 2), this.maxPollMs);
        } catch (error) {
          if (state.stop) return;
          this.options.logger.warn(`control queue ${partition}: ${String(error)}; polling again`);
          backoff = this.maxPollMs;
        }
      }
    });
  }
}
