import { PROBLEM_TYPES, type FieldError } from "../../contracts";
import type { DomainError, DomainErrorCode } from "../../domain";
import { problem, type ProblemResponse } from "./problems";

interface DomainProblemKind {
  readonly status: number;
  readonly type?: string;
}

/**
 * How each domain error answers over HTTP: the one table. A business outcome the caller can
 * act on is a 4xx with its problem type; `null` marks a code that can only mean a fault (a
 * bad clock, a corrupt document, a request that slipped past validation), which the problem
 * boundary logs and answers 500. A new code does not compile until it has a row.
 */
export const DOMAIN_PROBLEMS = {
  InvalidTransition: { status: 409, type: PROBLEM_TYPES.invalidState },
  UnknownSku: { status: 422, type: PROBLEM_TYPES.unknownSku },
  CurrencyMismatch: { status: 422 },
  InvalidMoney: null,
  InvalidFailureReason: null,
  InvalidOrder: null,
  InvalidTimestamp: null,
} as const satisfies Record<DomainErrorCode, DomainProblemKind | null>;

/** The codes that answer with a 4xx. */
export type AnsweredDomainCode = {
  [K in DomainErrorCode]: (typeof DOMAIN_PROBLEMS)[K] extends null ? never : K;
}[DomainErrorCode];

/**
 * The problem for a business outcome, with the caller-facing `detail`. Handlers that find the
 * outcome before asking the domain (a SKU missing from the catalog) name its code directly.
 */
export function domainProblem(
  code: AnsweredDomainCode,
  detail: string,
  errors?: readonly FieldError[],
): ProblemResponse {
  const kind: DomainProblemKind = DOMAIN_PROBLEMS[code];
  return problem(kind.status, detail, kind.type, errors);
}

/** The problem a domain error that reached the boundary answers with, if it is not a fault. */
export function problemForDomainError(error: DomainError): ProblemResponse | undefined {
  const kind: DomainProblemKind | null = DOMAIN_PROBLEMS[error.code];
  return kind === null ? undefined : problem(kind.status, error.message, kind.type);
}
