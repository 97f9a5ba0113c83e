import type * as JoseModule from "jose" with { "resolution-mode": "import" };
import {
  TokenKeysUnavailableError,
  TokenRejectedError,
  type TokenVerifier,
  type VerifiedToken,
} from "../../ports/tokenVerifier";

type Jose = typeof JoseModule;
type JWTVerifyGetKey = JoseModule.JWTVerifyGetKey;

/** jose is an ES module; the app compiles to CommonJS, so it is loaded with import(). */
let jose: Promise<Jose> | undefined;
const loadJose = (): Promise<Jose> => (jose ??= import("jose"));

export interface JoseTokenVerifierOptions {
  /** The issuer's OpenID configuration; its `jwks_uri` names the signing keys. */
  readonly openIdConfigUrl: string;
  /** The exact `iss` accepted. */
  readonly issuer: string;
  /** The `aud` values accepted: the API's client id (v2.0 tokens) and Application ID URI. */
  readonly audiences: readonly string[];
}

/**
 * Entra ID signs access tokens with RS256 only; naming it also refuses `alg: none` and any
 * HMAC token "signed" with a public key.
 */
const ALGORITHMS = ["RS256"];
/** Clocks of the issuer and this instance may differ this much (seconds) at exp and nbf. */
const CLOCK_TOLERANCE_SECONDS = 60;
/** Keys are refetched at least this often, and at once (not more than every 30 s) for an unknown kid. */
const KEYS_MAX_AGE_MS = 10 * 60_000;
const KEYS_COOLDOWN_MS = 30_000;
const FETCH_TIMEOUT_MS = 5_000;

/**
 * Checks Entra ID bearer tokens as API Management's validate-jwt does: the signature against
 * the keys the issuer publishes (fetched through its OpenID configuration, cached, and
 * refreshed when a token names a key not seen yet, which is how Entra rolls its keys), the
 * issuer, one of the audiences, and the lifetime with a small clock skew.
 */
export function createJoseTokenVerifier(options: JoseTokenVerifierOptions): TokenVerifier {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const keySet = (): Promise<JWTVerifyGetKey> => {
    keys ??= discoverKeys(options.openIdConfigUrl).catch((error: unknown) => {
      keys = undefined; // the next request tries again
      throw error;
    });
    return keys;
  };

  return {
    async verify(token: string): Promise<VerifiedToken> {
      const { jwtVerify, errors } = await loadJose();
      const getKey = await keySet();
      try {
        const { payload } = await jwtVerify(token, getKey, {
          issuer: options.issuer,
          audience: [...options.audiences],
          algorithms: ALGORITHMS,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ["exp", "sub"],
        });
        return { subject: String(payload.sub), roles: rolesOf(payload.roles) };
      } catch (error) {
        throw translate(error, errors);
      }
    },
  };
}

async function discoverKeys(openIdConfigUrl: string): Promise<JWTVerifyGetKey> {
  const { createRemoteJWKSet } = await loadJose();
  let jwksUri: unknown;
  try {
    const response = await fetch(openIdConfigUrl, {
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`answered ${response.status}`);
    jwksUri = ((await response.json()) as { jwks_uri?: unknown }).jwks_uri;
  } catch (error) {
    throw new TokenKeysUnavailableError(
      `The OpenID configuration (AUTH_OPENID_CONFIG_URL) could not be read: ${String(error)}`,
    );
  }
  if (typeof jwksUri !== "string") {
    throw new TokenKeysUnavailableError(
      "The OpenID configuration (AUTH_OPENID_CONFIG_URL) names no jwks_uri.",
    );
  }
  return createRemoteJWKSet(new URL(jwksUri), {
    cacheMaxAge: KEYS_MAX_AGE_MS,
    cooldownDuration: KEYS_COOLDOWN_MS,
    timeoutDuration: FETCH_TIMEOUT_MS,
  });
}

/** Entra puts app roles in `roles` as an array; a single string is taken as one role. */
function rolesOf(claim: unknown): string[] {
  if (typeof claim === "string") return [claim];
  if (Array.isArray(claim)) return claim.filter((r): r is string => typeof r === "string");
  return [];
}

/** jose's error codes, as the reasons a caller is told (never the error's text or stack). */
function translate(error: unknown, errors: Jose["errors"]): Error {
  if (error instanceof errors.JWTExpired) return new TokenRejectedError("The token has expired.");
  if (error instanceof errors.JWTClaimValidationFailed) {
    const claim = error.claim;
    if (claim === "iss") return new TokenRejectedError("The token's issuer is not accepted.");
    if (claim === "aud") return new TokenRejectedError("The token's audience is not accepted.");
    if (claim === "nbf") return new TokenRejectedError("The token is not valid yet.");
    return new TokenRejectedError(`The token's ${claim} claim is missing or not valid.`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return new TokenRejectedError("The token's signing algorithm is not accepted (RS256 only).");
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new TokenRejectedError("The token's signature is not valid.");
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
    return new TokenRejectedError("The token is not signed with a key of the issuer.");
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported
  )
    return new TokenRejectedError("The token is malformed or not a signed JWT.");
  // Anything else is the key set failing (timeout, network, an answer that is no key set):
  // nobody's token is at fault.
  return new TokenKeysUnavailableError("The issuer's signing keys could not be fetched.");
}
