/**
 * The service's access tokens: JWTs signed HS256 with the AccessKey, whose `aud` is the URL
 * they are used on (query and trailing slash left out, except the client URL, which keeps its
 * `?hub=`), and whose `nameid` claim is the connection's user id. Source: Azure SignalR
 * Service REST API, "Authentication" and "Implement Negotiate Endpoint" (Azure/azure-signalr
 * docs/rest-api.md).
 */
import { createSecretKey, type KeyObject } from "node:crypto";
import jwt from "jsonwebtoken";

/** The claim the service reads a connection's user id from (ClaimTypes.NameIdentifier). */
export const USER_ID_CLAIM = "nameid";

export interface SignAccessTokenOptions {
  readonly audience: string;
  readonly userId?: string;
  /** Lifetime; one hour by default, as the Functions binding issues them. */
  readonly lifetimeSeconds?: number;
}

/**
 * Given a string secret, jsonwebtoken first tries it as a PEM key (crypto.createPrivateKey on
 * sign, createPublicKey on verify), which throws, and only then makes a secret key, on every
 * call; under load createPublicKey was the stand-ins' top function in a CPU profile. So each
 * AccessKey becomes its HMAC key once, of the bytes jsonwebtoken would use (UTF-8). A process
 * knows a handful of keys (its services' and its connection strings'): the cache is unbounded.
 */
const hmacKeys = new Map<string, KeyObject>();

function hmacKey(accessKey: string): KeyObject {
  let key = hmacKeys.get(accessKey);
  if (key === undefined) {
    // jsonwebtoken refuses an empty string; an empty HMAC key would let anyone forge tokens.
    if (accessKey === "") throw new Error("The SignalR AccessKey is empty.");
    key = createSecretKey(accessKey, "utf8");
    hmacKeys.set(accessKey, key);
  }
  return key;
}

export function signAccessToken(accessKey: string, options: SignAccessTokenOptions): string {
  const claims: Record<string, string> = {};
  if (options.userId) claims[USER_ID_CLAIM] = options.userId;
  return jwt.sign(claims, hmacKey(accessKey), {
    algorithm: "HS256",
    audience: options.audience,
    expiresIn: options.lifetimeSeconds ?? 3600,
  });
}

/** Why a token was refused; every case is a 401 from the service. */
export class TokenRefusedError extends Error {
  override readonly name = "TokenRefusedError";
}

export interface VerifiedToken {
  readonly audience: string;
  readonly userId: string | undefined;
}

/**
 * Checks signature (HS256 only: a token with `alg: none` or another algorithm is refused),
 * lifetime, and that `aud` is one of `audiences` (compared without regard to case and to a
 * trailing slash, as URLs are).
 */
export function verifyAccessToken(
  token: string,
  accessKey: string,
  audiences: readonly string[],
): VerifiedToken {
  let payload: jwt.JwtPayload | string;
  try {
    payload = jwt.verify(token, hmacKey(accessKey), { algorithms: ["HS256"] });
  } catch (error) {
    throw new TokenRefusedError((error as Error).message);
  }
  if (typeof payload === "string") throw new TokenRefusedError("token payload is not JSON");
  if (payload.exp === undefined) throw new TokenRefusedError("token has no exp claim");
  const auds = Array.isArray(payload.aud) ? payload.aud : payload.aud ? [payload.aud] : [];
  const wanted = new Set(audiences.map(normalizeAudience));
  const match = auds.find((a) => wanted.has(normalizeAudience(a)));
  if (match === undefined)
    throw new TokenRefusedError(
      `audience ${JSON.stringify(payload.aud)} does not match ${audiences.join(" or ")}`,
    );
  const userId: unknown = payload[USER_ID_CLAIM];
  return { audience: match, userId: typeof userId === "string" && userId ? userId : undefined };
}

function normalizeAudience(value: string): string {
  return value.toLowerCase().replace(/\/(?=\?|$)/, "");
}

/** The bearer token of an Authorization header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header.trim()) : null;
  return match?.[1];
}
