import { CircuitBreaker } from "./circuitBreaker";
import type { GatewayCallOptions, PaymentGateway } from "../../ports/paymentGateway";
import { PaymentGatewayError, isGatewayError } from "../../ports/paymentGateway";

export interface ResilienceOptions {
  /** Attempts per call for transient errors (1 = no retry). */
  readonly maxAttempts: number;
  readonly firstRetryDelayInMs: number;
  readonly maxRetryDelayInMs: number;
  /** Per-attempt timeout handed to the gateway. */
  readonly timeoutInMs: number;
  readonly failureThreshold: number;
  readonly openForInMs: number;
  /** How long one call waits for an open circuit to let it through before failing. */
  readonly maxCircuitWaitInMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RESILIENCE: Omit<ResilienceOptions, "now" | "sleep"> = {
  maxAttempts: 4,
  firstRetryDelayInMs: 100,
  maxRetryDelayInMs: 2_000,
  timeoutInMs: 5_000,
  failureThreshold: 5,
  openForInMs: 10_000,
  maxCircuitWaitInMs: 30_000,
};

/**
 * Retries transient gateway errors with exponential backoff behind a circuit breaker.
 * Retrying is safe because every call carries its idempotency key. A timeout is not
 * retried (the outcome is unknown and the saga's own timer decides) and, like a decline,
 * says nothing about the gateway's health, so it neither opens nor closes the circuit.
 *
 * A call that finds the circuit open waits for it (up to `maxCircuitWaitInMs`), calling
 * nothing meanwhile, instead of failing at once. The caller is a queue handler: a failure
 * abandons its message, Service Bus redelivers it at once, and MaxDeliveryCount (5) such
 * deliveries inside one open period dead-letter a good payment command. A few concurrent
 * tok_flaky failures opened the circuit after a host restart, and the authorize and capture
 * commands queued behind them were dead-lettered within a second: the sagas timed out.
 */
export function createResilientGateway(
  inner: PaymentGateway,
  options: ResilienceOptions,
): PaymentGateway {
  const breaker = new CircuitBreaker(options);

  /** Resolves once the circuit lets this call through; throws CircuitOpen past `waitUntil`. */
  async function acquire(waitUntil: number): Promise<void> {
    while (!breaker.tryAcquire()) {
      const left = waitUntil - options.now();
      if (left <= 0) {
        throw new PaymentGatewayError("CircuitOpen", "payment gateway circuit is open; try later");
      }
      await options.sleep(Math.min(left, breaker.waitInMs()));
    }
  }

  async function call<T>(
    run: (callOptions: GatewayCallOptions) => Promise<T>,
    callOptions?: GatewayCallOptions,
  ): Promise<T> {
    const waitUntil = options.now() + options.maxCircuitWaitInMs;
    for (let attempt = 1; ; attempt++) {
      await acquire(waitUntil);
      try {
        const result = await run({ timeoutInMs: options.timeoutInMs, ...callOptions });
        breaker.recordSuccess();
        return result;
      } catch (error) {
        if (!isGatewayError(error, "Transient")) {
          breaker.recordNeutral();
          throw error;
        }
        breaker.recordFailure();
        if (attempt >= options.maxAttempts) throw error;
        const delay = Math.min(
          options.maxRetryDelayInMs,
          options.firstRetryDelayInMs * 2 ** (attempt - 1),
        );
        await options.sleep(delay);
      }
    }
  }

  return {
    authorize: (request, o) => call((c) => inner.authorize(request, c), o),
    capture: (request, o) => call((c) => inner.capture(request, c), o),
    void: (request, o) => call((c) => inner.void(request, c), o),
    refund: (request, o) => call((c) => inner.refund(request, c), o),
  };
}
