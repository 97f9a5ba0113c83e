/**
 * The Cosmos DB stand-in: `@vercel/cosmosdb-server` over HTTPS with a self-signed certificate
 * made once (SAN 127.0.0.1 and localhost) into `.local/cosmos/cert.pem` and `key.pem`. The
 * app's Cosmos client trusts exactly that certificate through COSMOS_CA_CERT_FILE; TLS
 * verification stays on everywhere. The package's bundled certificate has expired.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import type { Server } from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { X509Certificate } from "node:crypto";
import { createHttpsServer } from "@vercel/cosmosdb-server";
import { generate } from "selfsigned";
import type { CosmosFaults } from "../faults/cosmosFaults";
import { httpAnswers, waitUntil } from "./probes";

/** The Cosmos DB emulator's well-known key (public, documented by Microsoft). */
export const COSMOS_EMULATOR_KEY =
  "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

export interface CosmosCertificate {
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
export async function ensureCosmosCertificate(directory: string): Promise<CosmosCertificate> {
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

function generateCertificate() {
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

export interface CosmosOptions {
  readonly certDirectory: string;
  readonly port?: number;
  readonly host?: string;
  /** Fault injection in front of the server's handler (off when absent). */
  readonly faults?: CosmosFaults;
}

export interface RunningCosmos {
  readonly port: number;
  readonly endpoint: string;
  readonly key: string;
  readonly caCertFile: string;
  readonly connectionString: string;
  /** HTTP requests the server has answered so far (for benchmarks: RU figures mean nothing here). */
  requestCount(): number;
  stop(): Promise<void>;
}

export async function startCosmos(options: CosmosOptions): Promise<RunningCosmos> {
  const host = options.host ?? "127.0.0.1";
  const { certFile, cert, key } = await ensureCosmosCertificate(options.certDirectory);
  // keepAlive: otherwise the server answers `connection: close` and every Cosmos request
  // pays a fresh TLS handshake, which the real service never makes a client do.
  const server: Server = createHttpsServer({ cert, key, keepAlive: true });
  options.faults?.install(server);
  let requests = 0;
  server.on("request", () => {
    requests += 1;
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8081, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `https://${host}:${port}/`;
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  try {
    await waitUntil(`Cosmos server on port ${port}`, () => httpAnswers(endpoint, cert));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    port,
    endpoint,
    key: COSMOS_EMULATOR_KEY,
    caCertFile: certFile,
    connectionString: `AccountEndpoint=${endpoint};AccountKey=${COSMOS_EMULATOR_KEY};`,
    requestCount: () => requests,
    stop,
  };
}
