/**
 * The local identity stand-in's RSA signing key: made at first start under
 * `.local/identity/` (git-ignored with the rest of `.local/`), kept across starts so tokens
 * minted earlier stay valid, never committed. Its public half is published as a JWK whose
 * `kid` is the RFC 7638 thumbprint, as Entra ID names its keys by a stable id.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface SigningKey {
  readonly privateKey: KeyObject;
  /** The public key as a JWK (`kty`, `n`, `e`, `kid`, `use`, `alg`). */
  readonly jwk: Readonly<Record<string, string>>;
  readonly kid: string;
}

export const SIGNING_KEY_FILE = "signing-key.pem";

/** The key in `directory`, made (RSA 2048, PKCS#8 PEM, mode 0600) when there is none. */
export function loadOrCreateSigningKey(directory: string): SigningKey {
  const file = path.join(directory, SIGNING_KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(directory, { recursive: true });
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    try {
      // "wx": two stacks starting at once keep the first key written, not one each.
      writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }), {
        mode: 0o600,
        flag: "wx",
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  return signingKeyOf(createPrivateKey(readFileSync(file)));
}

/** A fresh key that is never saved: for tokens the issuer did not sign. */
export function throwawaySigningKey(): SigningKey {
  return signingKeyOf(generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey);
}

function signingKeyOf(privateKey: KeyObject): SigningKey {
  const { n, e } = createPublicKey(privateKey).export({ format: "jwk" });
  const thumbprint = JSON.stringify({ e, kty: "RSA", n });
  const kid = createHash("sha256").update(thumbprint).digest("base64url");
  return {
    privateKey,
    kid,
    jwk: { kty: "RSA", use: "sig", alg: "RS256", kid, n: String(n), e: String(e) },
  };
}
