/**
 * Business-rule failures of the domain. They are outcomes, not faults: a caller maps them to
 * a 409/422 or to a saga decision and never retries them. Each carries a `code` from one
 * closed union so callers switch on it instead of on message text.
 */
export type DomainErrorCode =
  | "InvalidMoney"
  | "CurrencyMismatch"
  | "InvalidTransition"
  | "InvalidFailureReason"
  | "InvalidOrder"
  | "UnknownSku"
  | "InvalidTimestamp";

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;

  protected constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** True for any {@link DomainError}; narrows `unknown` caught values. */
export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}
