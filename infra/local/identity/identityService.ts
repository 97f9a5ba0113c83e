/**
 * A stand-in for the Entra ID tenant the API trusts in token mode: it publishes an OpenID
 * configuration and the JWKS of a local signing key, at the paths Entra ID uses
 * (`/<tenant>/v2.0/.well-known/openid-configuration`, `/<tenant>/discovery/v2.0/keys`), and
 * mints v2.0-shaped access tokens for a local "app registration" of the API (a client id and
 * an Application ID URI, the two audiences the API accepts).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mintToken, type SigningChoice } from "./mintToken";
import { loadOrCreateSigningKey, type SigningKey } from "./signingKey";

export const LOCAL_TENANT = "local-tenant";
/** The local API registration's client id: the `aud` of v2.0 tokens. */
export const LOCAL_API_CLIENT_ID = "00000000-0000-4000-8000-00000000a91d";
/** The local API registration's Application ID URI: the `aud` of v1.0-style requests. */
export const LOCAL_API_APP_ID_URI = "api://orders-local";
export const DEFAULT_IDENTITY_PORT = 8890;

/** The issuer of tokens of a stand-in listening on `port`, as Entra's v2.0 issuer is shaped. */
export function localIssuer(host: string, port: number): string {
  return `http://${host}:${port}/${LOCAL_TENANT}/v2.0`;
}

export interface IdentityServiceOptions {
  readonly port?: number;
  readonly host?: string;
  /** Where the signing key is kept (`.local/identity`). */
  readonly keyDirectory: string;
}

export interface MintOptions {
  readonly sub: string;
  readonly roles?: readonly string[];
  /** The client id by default. */
  readonly aud?: string;
  /** This stand-in's issuer by default. */
  readonly iss?: string;
  readonly expiresInSeconds?: number;
  readonly now?: Date;
  readonly extra?: Readonly<Record<string, unknown>>;
  /** This stand-in's key, RS256, by default. */
  readonly signing?: Partial<SigningChoice>;
}

export interface IdentityService {
  readonly port: number;
  readonly issuer: string;
  readonly openIdConfigUrl: string;
  readonly jwksUri: string;
  /** The audiences the API accepts: client id, Application ID URI. */
  readonly audiences: readonly string[];
  readonly key: SigningKey;
  /** How many times the JWKS was fetched: shows a verifier caches it. */
  jwksRequests(): number;
  mint(options: MintOptions): string;
  stop(): Promise<void>;
}

export async function startIdentityService(
  options: IdentityServiceOptions,
): Promise<IdentityService> {
  const host = options.host ?? "127.0.0.1";
  const key = loadOrCreateSigningKey(options.keyDirectory);
  let jwksRequests = 0;
  let issuer = "";
  let base = "";
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    const json = (body: unknown): void => {
      res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(body));
    };
    if (req.method !== "GET") {
      res.writeHead(405).end();
    } else if (pathname === `/${LOCAL_TENANT}/v2.0/.well-known/openid-configuration`) {
      json({
        issuer,
        jwks_uri: `${base}/${LOCAL_TENANT}/discovery/v2.0/keys`,
        id_token_signing_alg_values_supported: ["RS256"],
        response_types_supported: ["code", "id_token", "token id_token"],
        subject_types_supported: ["pairwise"],
        token_endpoint: `${base}/${LOCAL_TENANT}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/${LOCAL_TENANT}/oauth2/v2.0/authorize`,
      });
    } else if (pathname === `/${LOCAL_TENANT}/discovery/v2.0/keys`) {
      jwksRequests++;
      json({ keys: [key.jwk] });
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? DEFAULT_IDENTITY_PORT, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  base = `http://${host}:${port}`;
  issuer = localIssuer(host, port);
  const audiences = [LOCAL_API_CLIENT_ID, LOCAL_API_APP_ID_URI];
  return {
    port,
    issuer,
    openIdConfigUrl: `${issuer}/.well-known/openid-configuration`,
    jwksUri: `${base}/${LOCAL_TENANT}/discovery/v2.0/keys`,
    audiences,
    key,
    jwksRequests: () => jwksRequests,
    mint: (mint) =>
      mintToken(
        {
          sub: mint.sub,
          ...(mint.roles ? { roles: mint.roles } : {}),
          iss: mint.iss ?? issuer,
          aud: mint.aud ?? LOCAL_API_CLIENT_ID,
          tid: LOCAL_TENANT,
          ...(mint.expiresInSeconds === undefined
            ? {}
            : { expiresInSeconds: mint.expiresInSeconds }),
          ...(mint.now ? { now: mint.now } : {}),
          ...(mint.extra ? { extra: mint.extra } : {}),
        },
        { key: mint.signing?.key ?? key, ...(mint.signing?.alg ? { alg: mint.signing.alg } : {}) },
      ),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
