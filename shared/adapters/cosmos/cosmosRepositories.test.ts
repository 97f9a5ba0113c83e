import { catalogSeed } from "../../catalog/catalogSeed";
import { aCreateOrderRequest } from "../../contracts/testing/httpBuilders";
import { createOrder, requestCancellation, statusChange, transitionOrder } from "../../domain";
import { ConcurrencyConflictError } from "../../ports";
import { startApiTestbed, type ApiTestbed } from "../../handlers/testing/apiTestbed";
import { idempotencyDocumentId } from "./orderDocuments";

let bed: ApiTestbed;
beforeAll(async () => {
  bed = await startApiTestbed();
});
afterAll(async () => {
  await bed.close();
});

function newOrder(customerId: string, orderId: string) {
  const catalog = catalogSeed(3);
  return createOrder({ orderId, customerId, ...aCreateOrderRequest() }, catalog, bed.clock.now());
}

function outboxFor(order: ReturnType<typeof newOrder>, eventId: string) {
  return {
    eventId,
    customerId: order.customerId,
    orderId: order.orderId,
    destination: "order-events",
    envelope: { id: eventId } as never,
    createdAt: bed.clock.now().toISOString(),
  };
}

describe("CosmosOrderRepository", () => {
  it("writes order, idempotency record and outbox entry in the customer's partition, and indexes the order", async () => {
    const order = newOrder("repo-1", "order-repo-1");
    const outcome = await bed.orders.placeOrder({
      order,
      maxUnitsHeld: 1000,
      outbox: outboxFor(order, "event-1"),
      idempotency: {
        key: "a/b#c?d\\e",
        requestHash: "h",
        response: { status: 202, headers: {}, body: {} },
        expiresAt: new Date(bed.clock.now().getTime() + 60_000).toISOString(),
      },
    });
    expect(outcome).toEqual({ kind: "created", indexed: true });
    const container = bed.cosmos.database("orders").container("orders");
    const { resources } = await container.items
      .query<{ id: string; kind: string }>("SELECT c.id, c.kind FROM c", { partitionKey: "repo-1" })
      .fetchAll();
    expect(resources.map((r) => r.kind).sort()).toEqual([
      "holdGuard",
      "idempotency",
      "order",
      "outbox",
    ]);
    expect(resources.map((r) => r.id)).toContain(idempotencyDocumentId("a/b#c?d\\e"));
    expect((await bed.orders.getById("order-repo-1"))?.order.customerId).toBe("repo-1");
    expect(await bed.orders.findIdempotency("repo-1", "a/b#c?d\\e")).toMatchObject({
      requestHash: "h",
    });
    expect(await bed.orders.findIdempotency("repo-2", "a/b#c?d\\e")).toBeUndefined();
  });

  it("answers idempotencyKeyTaken, writing nothing, when the key is live", async () => {
    const record = {
      key: "taken",
      requestHash: "first",
      response: { status: 202, headers: {}, body: { n: 1 } },
      expiresAt: new Date(bed.clock.now().getTime() + 60_000).toISOString(),
    };
    const first = newOrder("repo-3", "order-repo-3a");
    await bed.orders.placeOrder({
      order: first,
      maxUnitsHeld: 1000,
      outbox: outboxFor(first, "e-3a"),
      idempotency: record,
    });
    const second = newOrder("repo-3", "order-repo-3b");
    const outcome = await bed.orders.placeOrder({
      order: second,
      maxUnitsHeld: 1000,
      outbox: outboxFor(second, "e-3b"),
      idempotency: { ...record, requestHash: "second" },
    });
    expect(outcome).toEqual({ kind: "idempotencyKeyTaken", existing: record });
    expect(await bed.orders.get("repo-3", "order-repo-3b")).toBeUndefined();
  });

  it("refuses a stale ETag and treats ids Cosmos cannot store as absent", async () => {
    const order = newOrder("repo-4", "order-repo-4");
    await bed.orders.placeOrder({ order, outbox: outboxFor(order, "e-4"), maxUnitsHeld: 1000 });
    const found = await bed.orders.get("repo-4", "order-repo-4");
    if (found === undefined) throw new Error("not stored");
    await bed.orders.replace({ ...found.order, email: "new@example.com" }, found.etag);
    await expect(bed.orders.replace(found.order, found.etag)).rejects.toThrow(
      ConcurrencyConflictError,
    );
    expect(await bed.orders.get("repo-4", "a/b")).toBeUndefined();
    expect(await bed.orders.getById("x#y")).toBeUndefined();
  });

  it("moves a status in one request, appending to the timeline, as the domain would", async () => {
    const order = newOrder("repo-6", "order-repo-6");
    await bed.orders.placeOrder({ order, outbox: outboxFor(order, "e-6"), maxUnitsHeld: 1000 });
    const at = new Date(bed.clock.now().getTime() + 1_000);
    const before = bed.cosmosServer.requestCount();
    const move = await bed.orders.moveStatus(
      "repo-6",
      "order-repo-6",
      statusChange("InventoryReserved", at),
    );
    expect(bed.cosmosServer.requestCount() - before).toBe(1);
    expect(move).toEqual({ moved: true, order: transitionOrder(order, "InventoryReserved", at) });
    expect((await bed.orders.get("repo-6", "order-repo-6"))?.order).toEqual(move?.order);

    // Asked again (an activity retry): not moved, and the timeline keeps one entry.
    const again = await bed.orders.moveStatus(
      "repo-6",
      "order-repo-6",
      statusChange("InventoryReserved", at),
    );
    expect(again).toEqual({ moved: false, order: move?.order });
  });

  it("does not move an order the status machine keeps where it is, and says where it is", async () => {
    const order = newOrder("repo-7", "order-repo-7");
    await bed.orders.placeOrder({ order, outbox: outboxFor(order, "e-7"), maxUnitsHeld: 1000 });
    const found = await bed.orders.get("repo-7", "order-repo-7");
    if (found === undefined) throw new Error("not stored");
    const cancelling = requestCancellation(found.order, "CancelledByCustomer", bed.clock.now());
    await bed.orders.replace(cancelling, found.etag);
    const at = new Date(bed.clock.now().getTime() + 1_000);
    expect(
      await bed.orders.moveStatus("repo-7", "order-repo-7", statusChange("InventoryReserved", at)),
    ).toEqual({ moved: false, order: cancelling });
    const cancelled = await bed.orders.moveStatus(
      "repo-7",
      "order-repo-7",
      statusChange("Cancelled", at),
    );
    expect(cancelled?.order).toMatchObject({
      status: "Cancelled",
      failureReason: "CancelledByCustomer",
    });
    expect(
      await bed.orders.moveStatus("repo-7", "order-absent", statusChange("Cancelled", at)),
    ).toBeUndefined();
    expect(
      await bed.orders.moveStatus("repo-7", "a/b", statusChange("Cancelled", at)),
    ).toBeUndefined();
  });

  it("places without counting while the guard's bound leaves room, and counts when it does not", async () => {
    const place = async (orderId: string, maxUnitsHeld: number) => {
      const order = newOrder("repo-8", orderId);
      const before = bed.cosmosServer.requestCount();
      const outcome = await bed.orders.placeOrder({
        order,
        outbox: outboxFor(order, `e-${orderId}`),
        maxUnitsHeld,
      });
      return { outcome, requests: bed.cosmosServer.requestCount() - before, order };
    };
    // First order: no guard yet, so a count (query plan + query), then guard read, batch, index.
    const first = await place("order-repo-8a", 1000);
    expect(first).toMatchObject({ outcome: { kind: "created" }, requests: 5 });
    // The bound leaves room: guard read, batch, index.
    expect(await place("order-repo-8b", 1000)).toMatchObject({
      outcome: { kind: "created" },
      requests: 3,
    });
  });

  it("keeps a confirmed order in the bound, since a cancel makes it hold again", async () => {
    const place = (orderId: string, maxUnitsHeld: number) => {
      const order = newOrder("repo-9", orderId);
      return bed.orders.placeOrder({
        order,
        outbox: outboxFor(order, `e-${orderId}`),
        maxUnitsHeld,
      });
    };
    const units = newOrder("repo-9", "any").items.reduce((sum, line) => sum + line.quantity, 0);
    await place("order-repo-9a", units);
    const at = bed.clock.now();
    for (const status of ["InventoryReserved", "PaymentAuthorized", "Confirmed"] as const)
      await bed.orders.moveStatus("repo-9", "order-repo-9a", statusChange(status, at));
    // Counted (the bound has no room at this limit) while the first order is Confirmed.
    expect(await place("order-repo-9b", units)).toEqual({ kind: "created", indexed: true });
    // The customer cancels the confirmed order: it holds its units again, with the second's.
    const confirmed = await bed.orders.get("repo-9", "order-repo-9a");
    if (confirmed === undefined) throw new Error("not stored");
    await bed.orders.replace(
      requestCancellation(confirmed.order, "CancelledByCustomer", at),
      confirmed.etag,
    );
    expect(await place("order-repo-9c", 2 * units)).toEqual({
      kind: "holdLimitReached",
      held: 2 * units,
    });
  });

  it("lists pending outbox entries across partitions until they are marked sent", async () => {
    const order = newOrder("repo-5", "order-repo-5");
    await bed.orders.placeOrder({ order, outbox: outboxFor(order, "e-5"), maxUnitsHeld: 1000 });
    bed.clock.advance(1000);
    const pending = await bed.orders.pendingOutbox(bed.clock.now(), 1000);
    expect(pending.map((entry) => entry.eventId)).toContain("e-5");
    await bed.orders.markOutboxSent("repo-5", "e-5", bed.clock.now());
    await bed.orders.markOutboxSent("repo-5", "e-5", bed.clock.now());
    const after = await bed.orders.pendingOutbox(bed.clock.now(), 1000);
    expect(after.map((entry) => entry.eventId)).not.toContain("e-5");
  });
});

describe("CosmosCatalogRepository", () => {
  it("seeds create-if-absent: a second seed creates nothing and keeps live stock", async () => {
    const found = await bed.catalog.get("SKU-0001");
    if (found === undefined) throw new Error("not seeded");
    await bed.catalog.setStock("SKU-0001", 3, found.etag);
    expect(await bed.catalog.seed(catalogSeed())).toBe(0);
    expect((await bed.catalog.get("SKU-0001"))?.product.stock).toBe(3);
  });

  it("refuses setStock on a stale ETag", async () => {
    const found = await bed.catalog.get("SKU-0002");
    if (found === undefined) throw new Error("not seeded");
    await bed.catalog.setStock("SKU-0002", 9, found.etag);
    await expect(bed.catalog.setStock("SKU-0002", 8, found.etag)).rejects.toThrow(
      ConcurrencyConflictError,
    );
  });

  it("pages the catalog by SKU, each product once", async () => {
    const skus: string[] = [];
    let token: string | undefined;
    do {
      const page = await bed.catalog.list(33, token);
      skus.push(...page.products.map((p) => p.sku));
      token = page.continuationToken ?? undefined;
    } while (token !== undefined);
    expect(skus).toEqual(catalogSeed().map((p) => p.sku));
  });
});
