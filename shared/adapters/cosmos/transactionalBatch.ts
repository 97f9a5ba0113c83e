import type { Container, OperationInput } from "@azure/cosmos";
import { cosmosStatus } from "./cosmosErrors";

/** A batch operation failed; `statusCode` is the first failing operation's. */
export class BatchFailedError extends Error {
  constructor(readonly statusCode: number) {
    super(`transactional batch failed with ${statusCode}`);
    this.name = "BatchFailedError";
  }
}

/**
 * Runs a transactional batch in one partition and throws {@link BatchFailedError} when an
 * operation failed. The operations after a failed one answer 424 (failed dependency); the
 * first other status is the cause.
 */
export async function runBatch(
  container: Container,
  operations: OperationInput[],
  partitionKey: string,
): Promise<void> {
  let response;
  try {
    response = await container.items.batch(operations, partitionKey);
  } catch (error) {
    const status = cosmosStatus(error);
    if (status === 409 || status === 412) throw new BatchFailedError(status);
    throw error;
  }
  const failed = response.result?.find(
    (result) => result.statusCode >= 400 && result.statusCode !== 424,
  );
  if (failed !== undefined) throw new BatchFailedError(failed.statusCode);
  if (response.code !== undefined && response.code >= 400)
    throw new BatchFailedError(response.code);
}
