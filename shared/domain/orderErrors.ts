import { DomainError } from "./domainError";
import type { OrderStatus } from "./orderStatus";

export class InvalidTransitionError extends DomainError {
  readonly code = "InvalidTransition" as const;
  constructor(
    readonly from: OrderStatus,
    readonly to: OrderStatus,
  ) {
    super(`an order cannot move from ${from} to ${to}`);
  }
}

export class InvalidFailureReasonError extends DomainError {
  readonly code = "InvalidFailureReason" as const;
  constructor(
    readonly to: OrderStatus,
    readonly reason: string | undefined,
  ) {
    super(`${to} cannot be entered with reason ${String(reason)}`);
  }
}

export class UnknownSkuError extends DomainError {
  readonly code = "UnknownSku" as const;
  constructor(readonly skus: readonly string[]) {
    super(`unknown SKU${skus.length === 1 ? "" : "s"}: ${skus.join(", ")}`);
  }
}

/** A broken order invariant: a bad request that slipped past validation, or a corrupt document. */
export class InvalidOrderError extends DomainError {
  readonly code = "InvalidOrder" as const;
  constructor(readonly problems: readonly string[]) {
    super(`invalid order: ${problems.join("; ")}`);
  }
}

export class InvalidTimestampError extends DomainError {
  readonly code = "InvalidTimestamp" as const;
  constructor() {
    super("the clock gave an invalid date");
  }
}
