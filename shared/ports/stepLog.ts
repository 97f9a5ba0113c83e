/**
 * The fields of one step line: every saga step, worker step and API call writes one. The
 * operators' workbook and alerts query these names (README "Runbook", `bicep/queries/`).
 * Never card data, tokens, email addresses or secrets.
 */
export interface StepFields {
  readonly orderId: string;
  /** The API request's `x-correlation-id`, carried by every message of the order. */
  readonly correlationId: string;
  readonly step: string;
  readonly outcome: string;
  readonly durationMs?: number;
  /** On the saga's terminal line (outcome Failed or Cancelled): the order's failure reason. */
  readonly failureReason?: string;
  readonly [more: string]: string | number | boolean | undefined;
}

/**
 * Where a handler writes its step lines: the invoking function's log, so that the host
 * stamps each line with the function name and invocation id, and Application Insights ties
 * it to the invocation (InvocationId, operation_Id). One per invocation, never per process.
 */
export interface StepLog {
  info(fields: StepFields): void;
  warn(fields: StepFields): void;
}
