import { createRequire } from "node:module";
import type * as Selfsigned from "selfsigned";

/** A certificate and its private key, PEM. */
export interface TlsPair {
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
}

/**
 * A certificate for localhost and 127.0.0.1, made in memory when the emulator was given
 * none (tests). An EC P-256 key: it is made in a fraction of the time of an RSA one.
 */
export async function selfSignedPair(): Promise<TlsPair> {
  // Loaded on first use: most emulators never serve HTTPS, and the library is large.
  const { generate } = createRequire(__filename)("selfsigned") as typeof Selfsigned;
  const day = 24 * 3600 * 1000;
  const now = Date.now();
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keyType: "ec",
    algorithm: "sha256",
    notBeforeDate: new Date(now - day),
    notAfterDate: new Date(now + 30 * day),
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
