/**
 * Conditional patches through the unmodified `@azure/cosmos` client against the Cosmos
 * stand-in, as Azure decides them: the predicate, case intact, on the one document patched.
 */
import { CosmosClient, type Container } from "@azure/cosmos";
import { startCosmosTestServer, type CosmosTestServer } from "../testing/startCosmosTestServer";

let server: CosmosTestServer;
let client: CosmosClient;
let orders: Container;

beforeAll(async () => {
  server = await startCosmosTestServer();
  client = new CosmosClient({
    endpoint: server.endpoint,
    key: "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==",
    agent: server.agent,
  });
  const { database } = await client.databases.createIfNotExists({ id: "patches" });
  ({ container: orders } = await database.containers.createIfNotExists({
    id: "orders",
    partitionKey: { paths: ["/customerId"] },
  }));
});

afterAll(async () => {
  client?.dispose();
  await server?.close();
});

const statusOf = async (id: string, customerId: string) =>
  (await orders.item(id, customerId).read<{ status: string }>()).resource?.status;

const moveTo = (id: string, customerId: string, status: string, condition: string) =>
  orders.item(id, customerId).patch({
    condition,
    operations: [
      { op: "set", path: "/status", value: status },
      { op: "add", path: "/timeline/-", value: status },
    ],
  });

const statusCodeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 200,
    (error: { code?: number }) => error.code,
  );

describe("conditional patch on the Cosmos stand-in", () => {
  it("applies a predicate whose string literals and property names are mixed case", async () => {
    await orders.items.create({
      id: "o1",
      customerId: "Customer-A",
      status: "Pending",
      timeline: [],
    });
    const { resource } = await moveTo(
      "o1",
      "Customer-A",
      "InventoryReserved",
      "FROM c WHERE c.status IN ('Pending', 'Cancelling') AND c.customerId = 'Customer-A'",
    );
    expect(resource).toMatchObject({
      status: "InventoryReserved",
      timeline: ["InventoryReserved"],
    });
  });

  it("answers 412 and leaves the document as it was when the predicate does not hold", async () => {
    await orders.items.create({ id: "o2", customerId: "c2", status: "Cancelling", timeline: [] });
    expect(
      await statusCodeOf(
        moveTo("o2", "c2", "InventoryReserved", "FROM c WHERE c.status = 'Pending'"),
      ),
    ).toBe(412);
    expect(await statusOf("o2", "c2")).toBe("Cancelling");
  });

  it("decides on the patched document alone, not on another with the same id", async () => {
    await orders.items.create({ id: "same", customerId: "c3", step: 2, timeline: [] });
    await orders.items.create({ id: "same", customerId: "c4", step: 1, timeline: [] });
    expect(await statusCodeOf(moveTo("same", "c3", "Shipped", "FROM c WHERE c.step = 1"))).toBe(
      412,
    );
    expect(await statusOf("same", "c3")).toBeUndefined();
  });

  it("answers 404 for a missing document and 412 for a stale If-Match, as before", async () => {
    expect(
      await statusCodeOf(moveTo("absent", "c5", "Shipped", "FROM c WHERE c.status = 'Pending'")),
    ).toBe(404);
    await orders.items.create({ id: "o6", customerId: "c6", status: "Pending", timeline: [] });
    const stale = orders.item("o6", "c6").patch(
      {
        condition: "FROM c WHERE c.status = 'Pending'",
        operations: [{ op: "set", path: "/status", value: "X" }],
      },
      { accessCondition: { type: "IfMatch", condition: '"not-the-etag"' } },
    );
    expect(await statusCodeOf(stale)).toBe(412);
    expect(await statusOf("o6", "c6")).toBe("Pending");
  });

  it("answers 400 for a predicate it cannot parse", async () => {
    await orders.items.create({ id: "o7", customerId: "c7", status: "Pending", timeline: [] });
    expect(await statusCodeOf(moveTo("o7", "c7", "X", "FROM c WHERE c.status = = 'Pending'"))).toBe(
      400,
    );
  });
});
