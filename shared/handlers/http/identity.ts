import { CustomerIdSchema, HEADERS, hasAdminRole } from "../../contracts";
import type { ApiRequest } from "./apiTypes";
import { singleHeader } from "./headers";
import { problem } from "./problems";

/** Who is calling, from the headers APIM sets (docs/http-api.md "Identity"). */
export interface Caller {
  readonly customerId: string | undefined;
  readonly isAdmin: boolean;
}

export function callerOf(request: ApiRequest): Caller {
  const raw = singleHeader(request, HEADERS.customerId);
  const parsed = raw === null ? undefined : CustomerIdSchema.safeParse(raw);
  return {
    customerId: parsed?.success ? parsed.data : undefined,
    isAdmin: hasAdminRole(request.headers.get(HEADERS.roles) ?? undefined),
  };
}

/** A customer route: 401 without a usable `X-Customer-Id`. */
export function requireCustomer(request: ApiRequest): string {
  const { customerId } = callerOf(request);
  if (customerId === undefined) {
    throw problem(
      401,
      `The ${HEADERS.customerId} header is required and must be 1 to 128 characters.`,
    );
  }
  return customerId;
}

/** An admin route: 403 without the admin role. */
export function requireAdmin(request: ApiRequest): Caller {
  const caller = callerOf(request);
  if (!caller.isAdmin) throw problem(403, "This operation needs the admin role.");
  return caller;
}
