/**
 * The self-signed certificate of the local HTTPS endpoints (the Cosmos server, the Service Bus
 * emulator's administration API), SAN 127.0.0.1 and localhost, made once into a directory as
 * `cert.pem` and `key.pem` and reused while it has 30+ days left. A client trusts exactly that
 * file; TLS verification stays on everywhere.
 */
import { X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import type * as Selfsigned from "selfsigned";
import path from "node:path";

export interface LocalCertificate {
  readonly certFile: string;
  readonly keyFile: string;
  /** The PEMs as they were when this caller got them: the server uses these, not a re-read. */
  readonly cert: Buffer;
  readonly key: Buffer;
}

const LOCK_STALE_AFTER_MS = 120_000;

/**
 * Makes the certificate unless a valid one (30+ days left) is already there. Every caller
 * holds a lock directory (`mkdir` is atomic) while it checks and writes: on a fresh clone,
 * parallel test workers each start stand-ins, and without it one would overwrite the pair
 * another's server already uses, so that stack's host trusts a certificate its Cosmos
 * server does not present (TLS fails, every request is a 500).
 */
export async function ensureLocalCertificate(directory: string): Promise<LocalCertificate> {
  mkdirSync(directory, { recursive: true });
  return withLockDirectory(path.join(directory, ".lock"), async () => {
    const certFile = path.join(directory, "cert.pem");
    const keyFile = path.join(directory, "key.pem");
    if (existsSync(certFile) && existsSync(keyFile)) {
      const cert = readFileSync(certFile);
      const validTo = Date.parse(new X509Certificate(cert).validTo);
      if (validTo - Date.now() > 30 * 24 * 3600 * 1000)
        return { certFile, keyFile, cert, key: readFileSync(keyFile) };
    }
    const pems = await generateCertificate();
    writeFileSync(keyFile, pems.private, { mode: 0o600 });
    writeFileSync(certFile, pems.cert);
    return { certFile, keyFile, cert: Buffer.from(pems.cert), key: Buffer.from(pems.private) };
  });
}

async function withLockDirectory<T>(lock: string, run: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      // A holder that died (Ctrl-C mid-generation) leaves the lock behind; take it over.
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held === undefined) continue; // released between our mkdir and stat
      if (Date.now() - held.mtimeMs > LOCK_STALE_AFTER_MS)
        rmSync(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  try {
    return await run();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * selfsigned and its crypto libraries (about 16 MB resident) load only when a certificate is
 * made: a process that finds one on disk never pays for them.
 */
function selfsigned(): typeof Selfsigned {
  return createRequire(__filename)("selfsigned") as typeof Selfsigned;
}

function generateCertificate() {
  const { generate } = selfsigned();
  const now = new Date();
  return generate([{ name: "commonName", value: "localhost" }], {
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate: new Date(now.getTime() - 24 * 3600 * 1000),
    notAfterDate: new Date(now.getTime() + 825 * 24 * 3600 * 1000),
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
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
}
