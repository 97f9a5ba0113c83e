/**
 * The Cosmos DB stand-in: `@vercel/cosmosdb-server` over HTTPS with a self-signed certificate
 * made once (SAN 127.0.0.1 and localhost) into `.local/cosmos/cert.pem` and `key.pem`. The
 * app's Cosmos client trusts exactly that certificate through COSMOS_CA_CERT_FILE; TLS
 * verification stays on everywhere. The package's bundled certificate has expired.
 */
import type { Server } from "node:https";
import type { AddressInfo } from "node:net";
import { createHttpsServer } from "@vercel/cosmosdb-server";
import { fixCosmosPatchConditions } from "./cosmosPatchConditions";
import type { CosmosFaults } from "../faults/cosmosFaults";
import { CosmosRequestRecorder, type CosmosRequestStats } from "./cosmosRequestStats";
import { ensureLocalCertificate, type LocalCertificate } from "./localCertificate";
import { httpAnswers, waitUntil } from "./probes";

/** The Cosmos DB emulator's well-known key (public, documented by Microsoft). */
export const COSMOS_EMULATOR_KEY =
  "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

/**
 * The Cosmos server's certificate: the local one, made once into the directory it is given.
 * (The Service Bus emulator's administration API uses the same recipe in its own folder.)
 */
export const ensureCosmosCertificate = ensureLocalCertificate;
export type CosmosCertificate = LocalCertificate;

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
  /** Requests by kind and container, with the documents and bytes they moved (benchmarks). */
  requestStats(): CosmosRequestStats;
  stop(): Promise<void>;
}

export async function startCosmos(options: CosmosOptions): Promise<RunningCosmos> {
  const host = options.host ?? "127.0.0.1";
  const { certFile, cert, key } = await ensureCosmosCertificate(options.certDirectory);
  // keepAlive: otherwise the server answers `connection: close` and every Cosmos request
  // pays a fresh TLS handshake, which the real service never makes a client do.
  fixCosmosPatchConditions();
  const server: Server = createHttpsServer({ cert, key, keepAlive: true });
  options.faults?.install(server);
  let requests = 0;
  server.on("request", () => {
    requests += 1;
  });
  const recorder = new CosmosRequestRecorder();
  recorder.attach(server);
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
    requestStats: () => recorder.snapshot(),
    stop,
  };
}
