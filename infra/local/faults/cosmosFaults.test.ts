import { readFileSync } from "node:fs";
import { Agent } from "node:https";
import path from "node:path";
import { CosmosClient, type Container } from "@azure/cosmos";
import { startCosmos, type RunningCosmos } from "../launcher/cosmos";
import { FaultLog } from "./faultLog";
import { CosmosFaults } from "./cosmosFaults";

/** A `random` that yields `values` in turn, then 0.999 (a share-based fault then misses). */
function draws(...values: number[]): () => number {
  return () => values.shift() ?? 0.999;
}

let cosmos: RunningCosmos;
let faults: CosmosFaults;
let random: () => number = () => 0.999;
let agent: Agent;
let container: Container;
const clients: CosmosClient[] = [];

function client(maxRetryAttemptCount?: number): CosmosClient {
  const made = new CosmosClient({
    endpoint: cosmos.endpoint,
    key: cosmos.key,
    agent,
    ...(maxRetryAttemptCount === undefined
      ? {}
      : { connectionPolicy: { retryOptions: { maxRetryAttemptCount } } }),
  });
  clients.push(made);
  return made;
}

beforeAll(async () => {
  faults = new CosmosFaults(new FaultLog(), () => random());
  cosmos = await startCosmos({
    certDirectory: path.join(process.cwd(), ".local", "cosmos"),
    port: 0,
    faults,
  });
  agent = new Agent({ ca: readFileSync(cosmos.caCertFile), keepAlive: true });
  const { database } = await client().databases.createIfNotExists({ id: "faults" });
  ({ container } = await database.containers.createIfNotExists({
    id: "items",
    partitionKey: { paths: ["/pk"] },
  }));
});

afterEach(() => {
  faults.clear();
  random = () => 0.999;
});

afterAll(async () => {
  clients.forEach((c) => c.dispose());
  agent.destroy();
  await cosmos.stop();
});

describe("Cosmos faults", () => {
  it("answers 429 with substatus 3200 and x-ms-retry-after-ms, as the gateway throttles", async () => {
    faults.throttle.set({ share: 1, retryAfterMs: 250 });
    const noRetries = client(0).database("faults").container("items");
    const error = (await noRetries.items
      .create({ id: "throttled", pk: "a" })
      .catch((e: unknown) => e)) as { code?: number; substatus?: number; retryAfterInMs?: number };
    expect(error).toMatchObject({ code: 429, substatus: 3200, retryAfterInMs: 250 });
  });

  it("lets the SDK's throttle policy retry after the hinted wait until the request goes through", async () => {
    random = draws(0, 0);
    faults.throttle.set({ share: 0.5, retryAfterMs: 20 });
    const before = faults.counts().throttled;
    const response = await container.items.create({ id: "retried", pk: "a" });
    expect(response.statusCode).toBe(201);
    expect(faults.counts().throttled - before).toBe(2);
    expect(response.headers["x-ms-throttle-retry-count"]).toBe(2);
  });

  it("answers 503, which the SDK does not retry for a write on a single-region account", async () => {
    faults.unavailable.set({ share: 1 });
    const before = faults.counts().unavailable;
    const error = (await container.items
      .create({ id: "unavailable", pk: "a" })
      .catch((e: unknown) => e)) as { code?: number };
    expect(error.code).toBe(503);
    expect(faults.counts().unavailable - before).toBe(1);
  });

  it("holds a delayed request at least the given time before the server answers it", async () => {
    await container.items.upsert({ id: "slow", pk: "a" });
    faults.delay.set({ ms: 300, share: 1 });
    const before = faults.counts().delayed;
    const started = Date.now();
    const { resource } = await container.item("slow", "a").read();
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(resource?.id).toBe("slow");
    expect(faults.counts().delayed - before).toBe(1);
  });

  it("leaves metadata requests (database and container reads) alone", async () => {
    faults.throttle.set({ share: 1, retryAfterMs: 10 });
    faults.unavailable.set({ share: 1 });
    const { resource } = await client(0).database("faults").container("items").read();
    expect(resource?.id).toBe("items");
  });

  it("passes every request once the fault is cleared or its time is up", async () => {
    faults.throttle.set({ share: 1, retryAfterMs: 10 }, 50);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(faults.throttle.get()).toBeUndefined();
    const response = await client(0)
      .database("faults")
      .container("items")
      .items.upsert({ id: "after", pk: "a" });
    expect(response.statusCode).toBeLessThan(300);
  });
});
