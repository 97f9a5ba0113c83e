import type { Money } from "../domain";

/**
 * The card gateway as the payment participant needs it. Every call carries an idempotency
 * key (`${orderId}:${operation}`); a gateway answers a repeated key with the first answer,
 * so a retry after a lost response never charges twice. A decline is a result, not an
 * error; errors are faults, typed by {@link GatewayErrorCode}.
 */
export interface PaymentGateway {
  authorize(request: AuthorizeRequest, options?: GatewayCallOptions): Promise<AuthorizeResult>;
  capture(request: CaptureRequest, options?: GatewayCallOptions): Promise<{ captureId: string }>;
  void(request: VoidRequest, options?: GatewayCallOptions): Promise<void>;
  refund(request: RefundRequest, options?: GatewayCallOptions): Promise<{ refundId: string }>;
}

export interface GatewayCallOptions {
  readonly abortSignal?: AbortSignal;
  /** How long to wait for the gateway's answer before giving up on it. */
  readonly timeoutInMs?: number;
}

interface Keyed {
  readonly idempotencyKey: string;
  /** The merchant API key (from the secret provider), sent with every call. */
  readonly apiKey: string;
}

export interface AuthorizeRequest extends Keyed {
  readonly token: string;
  readonly amount: Money;
}
export interface CaptureRequest extends Keyed {
  readonly authorizationId: string;
  readonly amount: Money;
}
export interface VoidRequest extends Keyed {
  readonly authorizationId: string;
}
export interface RefundRequest extends Keyed {
  readonly captureId: string;
  readonly amount: Money;
}

export type AuthorizeResult =
  | { readonly outcome: "approved"; readonly authorizationId: string }
  | {
      readonly outcome: "declined";
      readonly reason: "PaymentDeclined" | "InsufficientFunds";
      readonly message: string;
    };

/**
 * - `Transient`: try again (5xx, connection reset); retried with backoff.
 * - `Timeout`: no answer in time; the outcome is unknown, so it is not retried here.
 * - `CircuitOpen`: too many transient failures lately; calls fail fast for a while.
 * - `Unauthorized`: the API key was refused; configuration, not retried.
 */
export type GatewayErrorCode = "Transient" | "Timeout" | "CircuitOpen" | "Unauthorized";

export class PaymentGatewayError extends Error {
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "PaymentGatewayError";
  }
}

export function isGatewayError(
  error: unknown,
  code?: GatewayErrorCode,
): error is PaymentGatewayError {
  return error instanceof PaymentGatewayError && (code === undefined || error.code === code);
}
