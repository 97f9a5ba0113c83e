/** What a valid bearer token says about its caller (docs/http-api.md "Identity"). */
export interface VerifiedToken {
  /** The `sub` claim: the customer id. */
  readonly subject: string;
  /** The `roles` claim (app roles), empty when the token has none. */
  readonly roles: readonly string[];
}

/** Checks a bearer token: signature, issuer, audience, lifetime. */
export interface TokenVerifier {
  /** Rejects with TokenRejectedError (the caller's fault) or TokenKeysUnavailableError. */
  verify(token: string): Promise<VerifiedToken>;
}

/** The token is not acceptable; `reason` is safe to tell the caller. */
export class TokenRejectedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "TokenRejectedError";
  }
}

/** The issuer's signing keys cannot be fetched now: no token can be checked, none is at fault. */
export class TokenKeysUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TokenKeysUnavailableError";
  }
}
