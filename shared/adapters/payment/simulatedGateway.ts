import type {
  AuthorizeRequest,
  AuthorizeResult,
  GatewayCallOptions,
  PaymentGateway,
} from "../../ports/paymentGateway";
import { PaymentGatewayError } from "../../ports/paymentGateway";

/** The test tokens of docs/http-api.md and what the simulated gateway does with each. */
export const SIMULATED_TOKENS = {
  approve: "tok_visa",
  decline: "tok_decline",
  insufficientFunds: "tok_insufficient_funds",
  timeout: "tok_timeout",
  flaky: "tok_flaky",
} as const;

/** tok_flaky fails this many times per idempotency key before it approves. */
export const FLAKY_FAILURES = 2;

/** When the caller sets no timeout, a "never answers" call still ends (after this). */
const DEFAULT_TIMEOUT_IN_MS = 5_000;

/**
 * The simulated gateway (PAYMENT_GATEWAY=simulated, the default outside Azure). It keeps
 * the first answer per idempotency key like a real gateway, so repeats are answered the
 * same; state lives in the process (a restarted host starts afresh, which the payment
 * ledger covers: recorded outcomes are never asked again).
 */
export function createSimulatedGateway(): PaymentGateway {
  const answers = new Map<string, unknown>();
  const failures = new Map<string, number>();
  let sequence = 0;
  const nextId = (prefix: string) => `${prefix}_sim_${Date.now().toString(36)}_${++sequence}`;

  function remember<T>(key: string, answer: () => T): T {
    if (!answers.has(key)) answers.set(key, answer());
    return answers.get(key) as T;
  }

  function checkKey(apiKey: string): void {
    if (!apiKey) throw new PaymentGatewayError("Unauthorized", "no API key");
  }

  function neverAnswers(options?: GatewayCallOptions): Promise<never> {
    return new Promise((_, reject) => {
      const timeoutInMs = options?.timeoutInMs ?? DEFAULT_TIMEOUT_IN_MS;
      const timer = setTimeout(
        () => reject(new PaymentGatewayError("Timeout", `no answer within ${timeoutInMs} ms`)),
        timeoutInMs,
      );
      options?.abortSignal?.addEventListener("abort", () => {
        clearTimeout(timer);
        reject(new PaymentGatewayError("Timeout", "aborted while waiting for the gateway"));
      });
    });
  }

  return {
    authorize(request: AuthorizeRequest, options?: GatewayCallOptions): Promise<AuthorizeResult> {
      checkKey(request.apiKey);
      const { token, idempotencyKey } = request;
      if (token === SIMULATED_TOKENS.timeout) return neverAnswers(options);
      if (token === SIMULATED_TOKENS.flaky && !answers.has(idempotencyKey)) {
        const failed = failures.get(idempotencyKey) ?? 0;
        if (failed < FLAKY_FAILURES) {
          failures.set(idempotencyKey, failed + 1);
          return Promise.reject(new PaymentGatewayError("Transient", "503 from the gateway"));
        }
      }
      return Promise.resolve(
        remember<AuthorizeResult>(idempotencyKey, () => {
          if (token === SIMULATED_TOKENS.decline) {
            return { outcome: "declined", reason: "PaymentDeclined", message: "card declined" };
          }
          if (token === SIMULATED_TOKENS.insufficientFunds) {
            return {
              outcome: "declined",
              reason: "InsufficientFunds",
              message: "insufficient funds",
            };
          }
          return { outcome: "approved", authorizationId: nextId("auth") };
        }),
      );
    },
    capture(request) {
      checkKey(request.apiKey);
      return Promise.resolve(
        remember(request.idempotencyKey, () => ({ captureId: nextId("cap") })),
      );
    },
    void(request) {
      checkKey(request.apiKey);
      remember(request.idempotencyKey, () => ({ voided: request.authorizationId }));
      return Promise.resolve();
    },
    refund(request) {
      checkKey(request.apiKey);
      return Promise.resolve(remember(request.idempotencyKey, () => ({ refundId: nextId("ref") })));
    },
  };
}
