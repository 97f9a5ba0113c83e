import { ADMIN_ROLE, CustomerIdSchema } from "../../contracts";
import {
  TokenKeysUnavailableError,
  TokenRejectedError,
  type MessageLog,
  type TokenVerifier,
} from "../../ports";
import type { ApiRequest, Caller } from "./apiTypes";
import { ProblemResponse, problem } from "./problems";

/**
 * The API's identity step, run before every handler that reads the caller: the request as
 * the handler sees it, with `caller` set when the identity comes from elsewhere than the
 * identity headers. Throws a ProblemResponse (401, 503) when it cannot tell who calls.
 */
export type IdentityStep = (request: ApiRequest) => Promise<ApiRequest>;

/** Header mode: X-Customer-Id and X-Roles as sent (identity.ts reads them). */
export const headerIdentity: IdentityStep = (request) => Promise.resolve(request);

const CHALLENGE = { "WWW-Authenticate": 'Bearer error="invalid_token"' };
const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/**
 * Token mode: the caller is the bearer token's, checked by `verifier`; the identity headers
 * are ignored, whoever set them. No Authorization header is an anonymous caller (public
 * routes answer, customer routes 401); a token that fails is 401 with the reason, on every
 * route, as API Management's validate-jwt answers.
 */
export function tokenIdentity(verifier: TokenVerifier, logger: MessageLog): IdentityStep {
  return async (request) => {
    const header = request.headers.get("authorization");
    if (header === null) {
      return withCaller(request, {
        customerId: undefined,
        isAdmin: false,
        missing: "A bearer token is required: Authorization: Bearer <token>.",
        challenge: { "WWW-Authenticate": "Bearer" },
      });
    }
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) throw refused("The Authorization header must be Bearer <token>.");
    let verified;
    try {
      verified = await verifier.verify(token);
    } catch (error) {
      if (error instanceof TokenRejectedError) throw refused(error.reason);
      if (error instanceof TokenKeysUnavailableError) {
        logger.warn("bearer token not checked", { error: error.message });
        const { problem: details } = problem(503, "Tokens cannot be checked now; retry shortly.");
        throw new ProblemResponse(details, { "Retry-After": "5" });
      }
      throw error;
    }
    const customerId = CustomerIdSchema.safeParse(verified.subject);
    if (!customerId.success) throw refused("The token's sub claim is not a usable customer id.");
    return withCaller(request, {
      customerId: customerId.data,
      isAdmin: verified.roles.includes(ADMIN_ROLE),
    });
  };
}

function refused(reason: string): ProblemResponse {
  const { problem: details } = problem(401, reason);
  return new ProblemResponse(details, CHALLENGE);
}

/** The same request with its caller established. */
function withCaller(request: ApiRequest, caller: Caller): ApiRequest {
  return {
    method: request.method,
    url: request.url,
    headers: request.headers,
    params: request.params,
    query: request.query,
    text: () => request.text(),
    arrayBuffer: () => request.arrayBuffer(),
    caller,
  };
}
