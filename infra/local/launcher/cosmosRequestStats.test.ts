/**
 * What the benchmarks' Cosmos figures rest on: each request the unmodified `@azure/cosmos`
 * client makes is counted under the kind Cosmos DB bills it as.
 */
import { readFile, mkdtemp, rm } from "node:fs/promises";
import { Agent } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { BulkOperationType, CosmosClient } from "@azure/cosmos";
import { startCosmos, type RunningCosmos } from "./cosmos";
import { freePort } from "../testing";

let directory: string;
let cosmos: RunningCosmos;
let client: CosmosClient;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "cosmos-stats-"));
  cosmos = await startCosmos({ certDirectory: directory, port: await freePort() });
  client = new CosmosClient({
    endpoint: cosmos.endpoint,
    key: cosmos.key,
    agent: new Agent({ ca: await readFile(cosmos.caCertFile), keepAlive: true }),
  });
});

afterAll(async () => {
  client?.dispose();
  await cosmos?.stop();
  await rm(directory, { recursive: true, force: true });
});

describe("CosmosRequestRecorder", () => {
  it("counts point operations, queries, their query plans and batches by kind and container", async () => {
    const { database } = await client.databases.createIfNotExists({ id: "stats" });
    const { container } = await database.containers.createIfNotExists({
      id: "things",
      partitionKey: { paths: ["/pk"] },
    });
    await container.items.create({ id: "a", pk: "p", n: 1 });
    await container.items.upsert({ id: "b", pk: "p", n: 2 });
    await container.item("a", "p").read();
    await container.item("a", "p").replace({ id: "a", pk: "p", n: 3 });
    await container.item("a", "p").patch([{ op: "incr", path: "/n", value: 1 }]);
    await container.items.batch(
      [{ operationType: BulkOperationType.Create, resourceBody: { id: "c", pk: "p" } }],
      "p",
    );
    const { resources } = await container.items
      .query("SELECT * FROM c WHERE c.n > 0", { partitionKey: "p" })
      .fetchAll();
    await container.item("b", "p").delete();

    const stats = cosmos.requestStats();
    const requests = Object.fromEntries(
      Object.entries(stats)
        .filter(([key]) => key.endsWith(" things"))
        .map(([key, value]) => [key, value.requests]),
    );
    expect(requests).toEqual({
      "create things": 1,
      "upsert things": 1,
      "read things": 1,
      "replace things": 1,
      "patch things": 1,
      "batch things": 1,
      "queryPlan things": 1,
      "query things": 1,
      "delete things": 1,
    });
    expect(stats["query things"]?.documents).toBe(resources.length);
  });
});
