import { CommitInventorySchema } from "../../contracts/messages/commitInventory";
import { ReleaseInventorySchema } from "../../contracts/messages/releaseInventory";
import { ReserveInventorySchema } from "../../contracts/messages/reserveInventory";
import { ShipInventorySchema } from "../../contracts/messages/shipInventory";
import { PoisonMessageError } from "../poisonMessageError";
import type { WorkerTestbed } from "../testing/workerTestbed";
import {
  aCommand,
  recordingPublisher,
  seedProduct,
  silentStepLog,
  startWorkerTestbed,
} from "../testing/workerTestbed";
import { createInventoryHandler } from "./createInventoryHandler";
import { CosmosProductStock } from "../../adapters/cosmos/cosmosProductStock";
import { CosmosReservationRecords } from "../../adapters/cosmos/cosmosReservationRecords";
import { reservationId } from "../../ports";

let bed: WorkerTestbed;
beforeAll(async () => {
  bed = await startWorkerTestbed();
});
afterAll(() => bed.close());

let orderSeq = 0;
const nextOrder = () => `inv-order-${++orderSeq}`;
const skuSeq = { n: 0 };
const nextSku = () => `INV-${++skuSeq.n}`;

function setup() {
  const publisher = recordingPublisher();
  const handle = createInventoryHandler({
    stock: new CosmosProductStock(bed.products, {
      maxAttempts: 200,
      backoff: () => new Promise((r) => setImmediate(r)),
    }),
    records: new CosmosReservationRecords(bed.ledger),
    publisher,
    now: () => new Date("2026-01-01T00:00:05Z"),
  });
  const replies = () => publisher.sent.map((s) => s.envelope.type);
  return { publisher, handle, replies };
}

async function counters(sku: string) {
  const { resource } = await bed.products.item(sku, sku).read();
  return { stock: resource.stock, reserved: resource.reserved, committed: resource.committed };
}

async function holdsOf(sku: string): Promise<Record<string, unknown>> {
  const { resource } = await bed.products
    .item(sku, sku)
    .read<{ id: string; holds?: Record<string, unknown> }>();
  return resource?.holds ?? {};
}

const reserve = (orderId: string, lines: Array<{ sku: string; quantity: number }>) =>
  aCommand(ReserveInventorySchema, { orderId, lines });

/** A product per line with `stock` units, and an order that reserved `quantity` of each. */
async function reservedOrder(...lines: [Stocked, ...Stocked[]]) {
  const products = lines.map((line) => ({ ...line, sku: nextSku() }));
  for (const { sku, stock } of products) await seedProduct(bed.products, sku, stock);
  const { handle, replies } = setup();
  const order = nextOrder();
  await handle(
    reserve(
      order,
      products.map(({ sku, quantity }) => ({ sku, quantity })),
    ),
  );
  const [sku, ...more] = products.map((product) => product.sku) as [string, ...string[]];
  return { sku, skus: [sku, ...more], order, handle, replies };
}
type Stocked = { readonly stock: number; readonly quantity: number };

/** Two products with five in stock each, and an order that reserved 2 of the first and 1 of the second. */
async function reservedTwoLines() {
  const { skus, ...rest } = await reservedOrder(
    { stock: 5, quantity: 2 },
    { stock: 5, quantity: 1 },
  );
  const [a, b] = skus as [string, string];
  return { a, b, ...rest };
}

describe("createInventoryHandler", () => {
  it("reserves every line and replies InventoryReserved, once however often delivered", async () => {
    const [a, b] = [nextSku(), nextSku()];
    await seedProduct(bed.products, a, 5);
    await seedProduct(bed.products, b, 5);
    const { handle, replies, publisher } = setup();
    const order = nextOrder();
    const message = reserve(order, [
      { sku: a, quantity: 2 },
      { sku: b, quantity: 3 },
    ]);
    await handle(message);
    await handle(message);
    expect(replies()).toEqual(["InventoryReserved", "InventoryReserved"]);
    expect(publisher.sent[0]?.destination).toBe("saga-replies");
    expect(publisher.sent[0]?.envelope).toMatchObject({
      subject: order,
      correlationid: `corr-${order}`,
    });
    expect(await counters(a)).toEqual({ stock: 5, reserved: 2, committed: 0 });
    expect(await counters(b)).toEqual({ stock: 5, reserved: 3, committed: 0 });
  });

  it("rejects all lines when any is short, naming each short SKU with requested and available", async () => {
    const [ok, short1, short2] = [nextSku(), nextSku(), nextSku()];
    await seedProduct(bed.products, ok, 10);
    await seedProduct(bed.products, short1, 1);
    await seedProduct(bed.products, short2, 5, { reserved: 4 });
    const { handle, publisher } = setup();
    await handle(
      reserve(nextOrder(), [
        { sku: ok, quantity: 2 },
        { sku: short1, quantity: 3 },
        { sku: short2, quantity: 2 },
      ]),
    );
    expect(publisher.sent[0]?.envelope).toMatchObject({
      type: "InventoryRejected",
      data: {
        shortLines: [
          { sku: short1, requested: 3, available: 1 },
          { sku: short2, requested: 2, available: 1 },
        ],
      },
    });
    expect(await counters(ok)).toEqual({ stock: 10, reserved: 0, committed: 0 });
  });

  it("commits a reservation once, and release after commit restocks", async () => {
    const { sku, order, handle, replies } = await reservedOrder({ stock: 4, quantity: 3 });
    const commit = aCommand(CommitInventorySchema, { orderId: order });
    await handle(commit);
    await handle(commit);
    expect(await counters(sku)).toEqual({ stock: 4, reserved: 0, committed: 3 });
    const release = aCommand(ReleaseInventorySchema, { orderId: order });
    await handle(release);
    await handle(release);
    expect(await counters(sku)).toEqual({ stock: 4, reserved: 0, committed: 0 });
    expect(replies()).toEqual([
      "InventoryReserved",
      "InventoryCommitted",
      "InventoryCommitted",
      "InventoryReleased",
      "InventoryReleased",
    ]);
  });

  it("commits with one conditional write of the record and one of each product", async () => {
    const { a, order, handle } = await reservedTwoLines();
    const before = bed.server.requestCount();
    await handle(aCommand(CommitInventorySchema, { orderId: order }));
    expect(bed.server.requestCount() - before).toBe(3);
    expect(await counters(a)).toEqual({ stock: 5, reserved: 0, committed: 2 });
  });

  it("finishes a commit that crashed between the record and the products", async () => {
    const { a, b, order, handle, replies } = await reservedTwoLines();
    // The state a crash right after the record's write leaves: no product committed yet.
    const records = new CosmosReservationRecords(bed.ledger);
    await records.moveState(order, "reserved", "committed", new Date());
    await handle(aCommand(CommitInventorySchema, { orderId: order }));
    expect(await counters(a)).toEqual({ stock: 5, reserved: 0, committed: 2 });
    expect(await counters(b)).toEqual({ stock: 5, reserved: 0, committed: 1 });
    expect(replies()).toEqual(["InventoryReserved", "InventoryCommitted"]);
  });

  it("gives the holds back when a release runs between a commit's record and its products", async () => {
    const { sku, order, handle, replies } = await reservedOrder({ stock: 5, quantity: 2 });
    await new CosmosReservationRecords(bed.ledger).moveState(
      order,
      "reserved",
      "committed",
      new Date(),
    );
    await handle(aCommand(ReleaseInventorySchema, { orderId: order }));
    // The commit's redelivery finds the record released: nothing is committed or said.
    await handle(aCommand(CommitInventorySchema, { orderId: order }));
    expect(await counters(sku)).toEqual({ stock: 5, reserved: 0, committed: 0 });
    expect(await holdsOf(sku)).toEqual({});
    expect(replies()).toEqual(["InventoryReserved", "InventoryReleased"]);
  });

  it("ships committed stock once: on-hand stock and committed drop, the order's hold goes", async () => {
    const [a, b] = [nextSku(), nextSku()];
    await seedProduct(bed.products, a, 10);
    await seedProduct(bed.products, b, 6);
    const { handle, replies } = setup();
    const [shipped, other] = [nextOrder(), nextOrder()];
    await handle(
      reserve(shipped, [
        { sku: a, quantity: 3 },
        { sku: b, quantity: 2 },
      ]),
    );
    await handle(reserve(other, [{ sku: a, quantity: 1 }]));
    await handle(aCommand(CommitInventorySchema, { orderId: shipped }));
    const ship = aCommand(ShipInventorySchema, { orderId: shipped });
    await handle(ship);
    await handle(ship);
    expect(await counters(a)).toEqual({ stock: 7, reserved: 1, committed: 0 });
    expect(await counters(b)).toEqual({ stock: 4, reserved: 0, committed: 0 });
    expect(Object.keys(await holdsOf(a))).toEqual([other]);
    expect(await holdsOf(b)).toEqual({});
    expect(replies()).toEqual([
      "InventoryReserved",
      "InventoryReserved",
      "InventoryCommitted",
      "InventoryShipped",
      "InventoryShipped",
    ]);
    const { resource } = await bed.ledger.item(reservationId(shipped), shipped).read();
    expect(resource.state).toBe("shipped");
  });

  it("finishes a shipment that crashed between the stock and the record, retiring nothing twice", async () => {
    const { a, b, order, handle, replies } = await reservedTwoLines();
    await handle(aCommand(CommitInventorySchema, { orderId: order }));
    // The state a crash after the first product's write leaves: record still committed.
    const stock = new CosmosProductStock(bed.products, {
      maxAttempts: 5,
      backoff: () => Promise.resolve(),
    });
    await stock.ship(a, order);
    await handle(aCommand(ShipInventorySchema, { orderId: order }));
    expect(await counters(a)).toEqual({ stock: 3, reserved: 0, committed: 0 });
    expect(await counters(b)).toEqual({ stock: 4, reserved: 0, committed: 0 });
    expect(replies()).toEqual(["InventoryReserved", "InventoryCommitted", "InventoryShipped"]);
  });

  it("ships nothing that is not committed, and a release after shipping gives nothing back", async () => {
    const sku = nextSku();
    await seedProduct(bed.products, sku, 5);
    const { handle, replies } = setup();
    const [reservedOnly, shipped] = [nextOrder(), nextOrder()];
    await handle(reserve(reservedOnly, [{ sku, quantity: 1 }]));
    await handle(aCommand(ShipInventorySchema, { orderId: reservedOnly }));
    await handle(reserve(shipped, [{ sku, quantity: 2 }]));
    await handle(aCommand(CommitInventorySchema, { orderId: shipped }));
    await handle(aCommand(ShipInventorySchema, { orderId: shipped }));
    await handle(aCommand(ReleaseInventorySchema, { orderId: shipped }));
    expect(await counters(sku)).toEqual({ stock: 3, reserved: 1, committed: 0 });
    expect(replies()).toEqual([
      "InventoryReserved",
      "InventoryReserved",
      "InventoryCommitted",
      "InventoryShipped",
    ]);
  });

  it("refuses a reserve that arrives after its release (the saga timed out and compensated)", async () => {
    const sku = nextSku();
    await seedProduct(bed.products, sku, 4);
    const { handle, replies } = setup();
    const order = nextOrder();
    await handle(aCommand(ReleaseInventorySchema, { orderId: order }));
    await handle(reserve(order, [{ sku, quantity: 1 }]));
    expect(replies()).toEqual(["InventoryReleased"]);
    expect(await counters(sku)).toEqual({ stock: 4, reserved: 0, committed: 0 });
  });

  it("finishes a reservation that crashed half-way, without holding a line twice", async () => {
    const [a, b] = [nextSku(), nextSku()];
    await seedProduct(bed.products, a, 5);
    await seedProduct(bed.products, b, 5);
    const order = nextOrder();
    const lines = [
      { sku: a, quantity: 1 },
      { sku: b, quantity: 1 },
    ];
    // The state a crash after the first hold leaves behind.
    await bed.ledger.items.create({
      id: reservationId(order),
      type: "reservation",
      orderId: order,
      state: "reserving",
      lines,
      updatedAt: "2026-01-01T00:00:00Z",
    });
    const stock = new CosmosProductStock(bed.products, {
      maxAttempts: 5,
      backoff: () => Promise.resolve(),
    });
    await stock.hold(a, order, 1);
    const { handle, replies } = setup();
    await handle(reserve(order, lines));
    expect(replies()).toEqual(["InventoryReserved"]);
    expect(await counters(a)).toEqual({ stock: 5, reserved: 1, committed: 0 });
    expect(await counters(b)).toEqual({ stock: 5, reserved: 1, committed: 0 });
  });

  it("never oversells under concurrent reservations of one SKU", async () => {
    const sku = nextSku();
    await seedProduct(bed.products, sku, 7);
    const { handle, replies } = setup();
    await Promise.all(
      Array.from({ length: 20 }, () => handle(reserve(nextOrder(), [{ sku, quantity: 1 }]))),
    );
    expect(replies().filter((r) => r === "InventoryReserved")).toHaveLength(7);
    expect(replies().filter((r) => r === "InventoryRejected")).toHaveLength(13);
    expect(await counters(sku)).toEqual({ stock: 7, reserved: 7, committed: 0 });
  });

  it("treats a message that fails its schema as poison, naming the problem", async () => {
    const { handle } = setup();
    const bad = reserve(nextOrder(), [{ sku: "X", quantity: 1 }]);
    (bad.body as { data: { lines: unknown } }).data.lines = [];
    await expect(handle(bad)).rejects.toBeInstanceOf(PoisonMessageError);
    await expect(handle({ body: "{not json", messageId: "m", log: silentStepLog })).rejects.toThrow(
      "InvalidMessage",
    );
  });

  it("rethrows a failed reply so the message is retried, and the retry replies", async () => {
    const sku = nextSku();
    await seedProduct(bed.products, sku, 2);
    const { handle, publisher, replies } = setup();
    publisher.failNext = 1;
    const message = reserve(nextOrder(), [{ sku, quantity: 1 }]);
    await expect(handle(message)).rejects.toThrow("broker unavailable");
    await handle(message);
    expect(replies()).toEqual(["InventoryReserved"]);
    expect(await counters(sku)).toEqual({ stock: 2, reserved: 1, committed: 0 });
  });
});
