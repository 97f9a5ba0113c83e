/**
 * Access tokens shaped like Entra ID's v2.0 ones (`iss`, `aud`, `sub`, `oid`, `tid`, `roles`,
 * `iat`/`nbf`/`exp`, `ver`), signed RS256 with the stand-in's key, or deliberately wrong for
 * tests: another key, a lapsed lifetime, `alg: none`.
 */
import { randomUUID, sign } from "node:crypto";
import type { SigningKey } from "./signingKey";

export interface TokenClaims {
  /** The subject: the customer id the API takes from the token. */
  readonly sub: string;
  readonly roles?: readonly string[];
  readonly iss: string;
  readonly aud: string;
  readonly tid: string;
  /** Seconds until `exp` (negative: already expired). 3600 by default. */
  readonly expiresInSeconds?: number;
  /** The time the token is issued at; now by default. */
  readonly now?: Date;
  /** Claims set last, over the ones above. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

export interface SigningChoice {
  readonly key: SigningKey;
  /** "none" gives an unsigned token (empty signature), which a verifier must refuse. */
  readonly alg?: "RS256" | "none";
}

const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");

export function mintToken(claims: TokenClaims, signing: SigningChoice): string {
  const iat = Math.floor((claims.now ?? new Date()).getTime() / 1000);
  const alg = signing.alg ?? "RS256";
  const header = alg === "none" ? { typ: "JWT", alg } : { typ: "JWT", alg, kid: signing.key.kid };
  const payload = {
    aud: claims.aud,
    iss: claims.iss,
    iat,
    nbf: iat,
    exp: iat + (claims.expiresInSeconds ?? 3600),
    sub: claims.sub,
    oid: claims.sub,
    tid: claims.tid,
    ...(claims.roles && claims.roles.length > 0 ? { roles: [...claims.roles] } : {}),
    uti: randomUUID(),
    ver: "2.0",
    ...claims.extra,
  };
  const input = `${part(header)}.${part(payload)}`;
  if (alg === "none") return `${input}.`;
  const signature = sign("sha256", Buffer.from(input), signing.key.privateKey);
  return `${input}.${signature.toString("base64url")}`;
}
