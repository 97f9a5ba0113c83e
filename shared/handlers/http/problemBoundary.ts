import { isDomainError } from "../../domain";
import { ConcurrencyConflictError, InvalidContinuationTokenError } from "../../ports";
import type { ApiHandler, ApiRequest, ApiResponse } from "./apiTypes";
import { problemForDomainError } from "./domainProblems";
import { ProblemResponse, fieldProblem, problem, problemResponse } from "./problems";
import { isTransientStoreError } from "../../adapters/cosmos/cosmosErrors";

export interface BoundaryLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * The edge of every HTTP handler: a ProblemResponse becomes its problem+json answer, a
 * domain error the status its row in `DOMAIN_PROBLEMS` names, a store that is throttling,
 * timing out or unreachable 503 with Retry-After, and anything else is logged and answered
 * with a 500 problem that reveals nothing. Errors are translated here, once.
 */
export function withProblemBoundary(handler: ApiHandler, logger: BoundaryLogger): ApiHandler {
  return async (request: ApiRequest): Promise<ApiResponse> => {
    try {
      return await handler(request);
    } catch (error) {
      return toResponse(error, logger);
    }
  };
}

function toResponse(error: unknown, logger: BoundaryLogger): ApiResponse {
  if (error instanceof ProblemResponse) return problemResponse(error.problem, error.headers);
  const domain = isDomainError(error) ? problemForDomainError(error) : undefined;
  if (domain !== undefined) return problemResponse(domain.problem);
  if (error instanceof InvalidContinuationTokenError) {
    return problemResponse(
      fieldProblem("continuationToken", "is not a token this API issued", "query").problem,
    );
  }
  if (error instanceof ConcurrencyConflictError) {
    return problemResponse(problem(409, error.message).problem);
  }
  const described = {
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  };
  if (isTransientStoreError(error)) {
    // Worth a retry by the caller (a POST with its Idempotency-Key is safe to repeat), and
    // still logged: a store that keeps refusing is an operator's business.
    logger.warn("store busy or unreachable; answered 503", described);
    return problemResponse(problem(503, "The store is busy; retry shortly.").problem, {
      "Retry-After": "1",
    });
  }
  logger.error("request failed", described);
  return problemResponse(problem(500, "The request could not be completed.").problem);
}
