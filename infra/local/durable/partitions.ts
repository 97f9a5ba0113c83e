/**
 * How the task hub's instances are split between host instances, as Durable's Azure Storage
 * provider splits them: a fixed number of partitions (host.json
 * `extensions.durableTask.storageProvider.partitionCount`, default 4), each instance in the
 * partition given by the 32-bit FNV-1a hash of its id's UTF-8 bytes modulo the count
 * (DurableTask.AzureStorage `AzureStorageOrchestrationService.GetControlQueueAsync` with
 * `Fnv1aHashHelper.ComputeHash`), and each partition's messages in its own control queue,
 * `<hub>-control-NN` (lower case).
 */

/** The provider's default (`AzureStorageOrchestrationServiceSettings.DefaultPartitionCount`). */
export const DEFAULT_PARTITION_COUNT = 4;
/** The provider accepts 1 to 16 partitions. */
export const MAX_PARTITION_COUNT = 16;

const FNV_OFFSET_BASIS = 2166136261;
const FNV_PRIME = 16777619;

export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of Buffer.from(text, "utf8")) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash >>> 0;
}

export function partitionOf(instanceId: string, partitionCount: number): number {
  return fnv1a32(instanceId) % partitionCount;
}

export function controlQueueName(hubName: string, partition: number): string {
  return `${hubName.toLowerCase()}-control-${String(partition).padStart(2, "0")}`;
}

/**
 * host.json `extensions.durableTask.storageProvider.partitionCount`; a value outside 1–16
 * stops start-up, naming the setting.
 */
export function partitionCountOf(durableTask: Readonly<Record<string, unknown>>): number {
  const provider = (durableTask.storageProvider ?? {}) as Record<string, unknown>;
  const raw = provider.partitionCount;
  if (raw === undefined) return DEFAULT_PARTITION_COUNT;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1 || count > MAX_PARTITION_COUNT) {
    throw new Error(
      `host.json extensions.durableTask.storageProvider.partitionCount must be an integer from 1 to ${MAX_PARTITION_COUNT}, got ${JSON.stringify(raw)}.`,
    );
  }
  return count;
}
