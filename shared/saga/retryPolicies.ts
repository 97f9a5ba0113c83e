import * as df from "durable-functions";

/**
 * Retry policies of the saga's activities. Activities are idempotent (deterministic message
 * ids, conditional writes), so retrying one is always safe; the policies only bound how long a
 * broken dependency (Cosmos, Service Bus) may stall a step before the instance fails loudly.
 */
function retry(
  firstRetryIntervalInMs: number,
  maxNumberOfAttempts: number,
  maxRetryIntervalInMs: number,
): df.RetryOptions {
  const options = new df.RetryOptions(firstRetryIntervalInMs, maxNumberOfAttempts);
  options.backoffCoefficient = 2;
  options.maxRetryIntervalInMilliseconds = maxRetryIntervalInMs;
  return options;
}

export const SAGA_RETRY_POLICIES = {
  /** Sending a command or publishing an event: Service Bus hiccups clear in seconds. */
  messaging: retry(1_000, 6, 15_000),
  /** Status updates contend on the order's ETag with the API; a few quick retries settle it. */
  orderStatus: retry(500, 8, 10_000),
} as const;

/**
 * How often a command that cannot be refused (a compensation, a shipment) is sent when its
 * reply does not come back in time. It must be done for guarantee 6, but the instance must
 * still end (guarantee 1).
 */
export const UNREFUSABLE_COMMAND_MAX_SENDS = 5;
