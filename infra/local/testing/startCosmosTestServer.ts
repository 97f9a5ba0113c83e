/**
 * Starts `@vercel/cosmosdb-server` in-process on a free port with a freshly generated
 * certificate (the package's bundled one has expired). Tests reach it with the unmodified
 * `@azure/cosmos` client, trusting only this certificate through an `https.Agent`.
 */
import { Agent } from "node:https";
import type { AddressInfo } from "node:net";
import { createHttpsServer } from "@vercel/cosmosdb-server";
import { fixCosmosPatchConditions } from "../launcher/cosmosPatchConditions";
import { generate } from "selfsigned";

/** The public, well-known key of the Cosmos DB emulator; the local server accepts any key. */
export const COSMOS_EMULATOR_KEY =
  "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

export interface CosmosTestServer {
  readonly endpoint: string;
  readonly connectionString: string;
  /** PEM of the server certificate, for an `https.Agent` `ca`. */
  readonly certPem: string;
  readonly agent: Agent;
  /** HTTP requests served so far (benchmarks count requests: every response costs "1 RU" here). */
  requestCount(): number;
  close(): Promise<void>;
}

export async function startCosmosTestServer(): Promise<CosmosTestServer> {
  const pems = await generate([{ name: "commonName", value: "127.0.0.1" }], {
    keySize: 2048,
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 7, ip: "127.0.0.1" },
          { type: 2, value: "localhost" },
        ],
      },
    ],
  });
  // keepAlive: without it the server answers `connection: close` and every request pays a
  // new TLS handshake, which is not how the real service (or the SDK's agent) behaves.
  fixCosmosPatchConditions();
  const server = createHttpsServer({ key: pems.private, cert: pems.cert, keepAlive: true });
  let requests = 0;
  server.on("request", () => {
    requests += 1;
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `https://127.0.0.1:${port}/`;
  const agent = new Agent({ ca: pems.cert, keepAlive: true });
  return {
    endpoint,
    connectionString: `AccountEndpoint=${endpoint};AccountKey=${COSMOS_EMULATOR_KEY};`,
    certPem: pems.cert,
    agent,
    requestCount: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
