import { CustomerIdSchema, HEADERS, hasAdminRole } from "../../contracts";
import type { ApiRequest, Caller } from "./apiTypes";
import { singleHeader } from "./headers";
import { ProblemResponse, problem } from "./problems";

export type { Caller } from "./apiTypes";

const MISSING_HEADER = `The ${HEADERS.customerId} header is required and must be 1 to 128 characters.`;

/**
 * Who is calling: the caller the identity step established (a bearer token's, in token
 * mode), else the headers API Management sets (docs/http-api.md "Identity").
 */
export function callerOf(request: ApiRequest): Caller {
  if (request.caller !== undefined) return request.caller;
  const raw = singleHeader(request, HEADERS.customerId);
  const parsed = raw === null ? undefined : CustomerIdSchema.safeParse(raw);
  return {
    customerId: parsed?.success ? parsed.data : undefined,
    isAdmin: hasAdminRole(request.headers.get(HEADERS.roles) ?? undefined),
  };
}

/** The 401 of a caller without a customer id, saying what is missing. */
export function unauthenticated(caller: Caller): ProblemResponse {
  const { problem: details } = problem(401, caller.missing ?? MISSING_HEADER);
  return new ProblemResponse(details, { ...caller.challenge });
}

/** A customer route: 401 without a customer id. */
export function requireCustomer(request: ApiRequest): string {
  const caller = callerOf(request);
  if (caller.customerId === undefined) throw unauthenticated(caller);
  return caller.customerId;
}

/** An admin route: 403 without the admin role. */
export function requireAdmin(request: ApiRequest): Caller {
  const caller = callerOf(request);
  if (!caller.isAdmin) throw problem(403, "This operation needs the admin role.");
  return caller;
}
