import type { WorkerTestbed } from "../workers/testing/workerTestbed";
import { seedProduct, startWorkerTestbed } from "../workers/testing/workerTestbed";
import { checkInvariants, describeViolations } from "./checkInvariants";

let bed: WorkerTestbed;
beforeAll(async () => {
  bed = await startWorkerTestbed();
});
afterAll(() => bed.close());

const total = { amount: 200, currency: "USD" };
let seq = 0;

/** Writes an order (with its ledger index) in `status`, one line of 2 × `sku`. */
async function anOrder(status: string, sku: string): Promise<string> {
  const orderId = `inv-check-${++seq}`;
  const customerId = `cust-${seq}`;
  await bed.orders.items.create({
    id: orderId,
    kind: "order",
    orderId,
    customerId,
    status,
    total,
    items: [{ sku, quantity: 2 }],
  });
  await bed.ledger.items.create({ id: "order-index", kind: "orderIndex", orderId, customerId });
  return orderId;
}

async function productWithHold(
  sku: string,
  stock: number,
  holds: Record<string, { quantity: number; state: string }>,
) {
  await seedProduct(bed.products, sku, stock);
  const reserved = Object.values(holds)
    .filter((h) => h.state === "reserved")
    .reduce((n, h) => n + h.quantity, 0);
  const committed = Object.values(holds)
    .filter((h) => h.state === "committed")
    .reduce((n, h) => n + h.quantity, 0);
  const { resource } = await bed.products.item(sku, sku).read();
  await bed.products.item(sku, sku).replace({ ...resource, reserved, committed, holds });
}

const reservation = (orderId: string, state: string) => ({
  id: `reservation:${orderId}`,
  type: "reservation",
  orderId,
  state,
  lines: [],
  updatedAt: "2026-01-01T00:00:00Z",
});

const payment = (orderId: string, operations: Record<string, unknown>) => ({
  id: `payment:${orderId}`,
  type: "payment",
  orderId,
  operations,
  updatedAt: "2026-01-01T00:00:00Z",
});

const captured = {
  idempotencyKey: "k",
  outcome: "captured",
  amount: total,
  captureId: "c",
  at: "t",
};
const approved = {
  idempotencyKey: "k",
  outcome: "approved",
  amount: total,
  authorizationId: "a",
  at: "t",
};

describe("checkInvariants", () => {
  it("passes a Confirmed order whose stock is committed and payment captured", async () => {
    const orderId = await anOrder("Confirmed", "CHK-1");
    await productWithHold("CHK-1", 5, { [orderId]: { quantity: 2, state: "committed" } });
    await bed.ledger.items.create(reservation(orderId, "committed"));
    await bed.ledger.items.create(payment(orderId, { authorize: approved, capture: captured }));
    const report = await checkInvariants(bed, { orderIds: [orderId] });
    expect(describeViolations(report)).toBe("");
    expect(report.ordersChecked).toBe(1);
  });

  it("counts notification claims per template and channel: an email and an SMS are one each", async () => {
    const orderId = await anOrder("Confirmed", "CHK-9");
    await productWithHold("CHK-9", 5, { [orderId]: { quantity: 2, state: "committed" } });
    await bed.ledger.items.create(reservation(orderId, "committed"));
    await bed.ledger.items.create(payment(orderId, { authorize: approved, capture: captured }));
    const claim = (id: string, channel?: "sms") => ({
      id,
      type: "notification",
      orderId,
      template: "OrderConfirmed",
      ...(channel === undefined ? {} : { channel }),
      state: "sent",
      recipient: channel === undefined ? "ada@example.com" : "+447700900123",
      claimedAt: "2026-01-01T00:00:00Z",
    });
    await bed.ledger.items.create(claim(`notification:${orderId}:OrderConfirmed`));
    await bed.ledger.items.create(claim(`notification:${orderId}:OrderConfirmed:sms`, "sms"));
    expect(describeViolations(await checkInvariants(bed, { orderIds: [orderId] }))).toBe("");

    await bed.ledger.items.create(claim(`notification:${orderId}:OrderConfirmed:sms:2`, "sms"));
    expect(describeViolations(await checkInvariants(bed, { orderIds: [orderId] }))).toBe(
      `G4 order ${orderId}: 2 claims for OrderConfirmed (sms)`,
    );
  });

  it("passes a Shipped order either side of retiring its stock, and a Delivered one past it", async () => {
    const committedShip = await anOrder("Shipped", "CHK-6");
    const retiredShip = await anOrder("Shipped", "CHK-6");
    const delivered = await anOrder("Delivered", "CHK-6");
    await productWithHold("CHK-6", 5, { [committedShip]: { quantity: 2, state: "committed" } });
    await bed.ledger.items.create(reservation(committedShip, "committed"));
    await bed.ledger.items.create(reservation(retiredShip, "shipped"));
    await bed.ledger.items.create(reservation(delivered, "shipped"));
    for (const orderId of [committedShip, retiredShip, delivered])
      await bed.ledger.items.create(payment(orderId, { authorize: approved, capture: captured }));
    const report = await checkInvariants(bed, {
      orderIds: [committedShip, retiredShip, delivered],
    });
    expect(describeViolations(report)).toBe("");
  });

  it("reports a Delivered order whose stock was never retired, and a shipped one still held", async () => {
    const unretired = await anOrder("Delivered", "CHK-7");
    const stillHeld = await anOrder("Shipped", "CHK-7");
    await productWithHold("CHK-7", 9, {
      [unretired]: { quantity: 2, state: "committed" },
      [stillHeld]: { quantity: 2, state: "committed" },
    });
    await bed.ledger.items.create(reservation(unretired, "committed"));
    await bed.ledger.items.create(reservation(stillHeld, "shipped"));
    for (const orderId of [unretired, stillHeld])
      await bed.ledger.items.create(payment(orderId, { authorize: approved, capture: captured }));
    const report = await checkInvariants(bed, { orderIds: [unretired, stillHeld] });
    expect(report.violations.map((v) => [v.guarantee, v.orderId, v.message])).toEqual([
      [6, unretired, "Delivered but reservation is committed"],
      [6, stillHeld, "Shipped, stock shipped, but still holds CHK-7"],
    ]);
  });

  it("reports a Cancelled order that still holds stock and kept its capture", async () => {
    const orderId = await anOrder("Cancelled", "CHK-2");
    await productWithHold("CHK-2", 5, { [orderId]: { quantity: 2, state: "committed" } });
    await bed.ledger.items.create(reservation(orderId, "committed"));
    await bed.ledger.items.create(payment(orderId, { authorize: approved, capture: captured }));
    const report = await checkInvariants(bed, { orderIds: [orderId] });
    expect(report.violations.map((v) => v.guarantee).sort()).toEqual([3, 6, 6]);
  });

  it("reports a Failed order whose authorization was never voided", async () => {
    const orderId = await anOrder("Failed", "CHK-3");
    await seedProduct(bed.products, "CHK-3", 5);
    await bed.ledger.items.create(reservation(orderId, "released"));
    await bed.ledger.items.create(payment(orderId, { authorize: approved }));
    const report = await checkInvariants(bed, { orderIds: [orderId] });
    expect(report.violations).toEqual([expect.objectContaining({ guarantee: 3, orderId })]);
  });

  it("reports oversold stock and counters that the holds do not explain", async () => {
    const orderId = await anOrder("Confirmed", "CHK-4");
    await productWithHold("CHK-4", 1, { [orderId]: { quantity: 2, state: "committed" } });
    const { resource } = await bed.products.item("CHK-4", "CHK-4").read();
    await bed.products.item("CHK-4", "CHK-4").replace({ ...resource, reserved: 1 });
    const report = await checkInvariants(bed, { orderIds: [orderId] });
    expect(report.violations.filter((v) => v.sku === "CHK-4").map((v) => v.guarantee)).toEqual(
      expect.arrayContaining([2, 5]),
    );
  });

  it("reports an accepted order without a document, and one whose saga has not settled", async () => {
    const pending = await anOrder("PaymentAuthorized", "CHK-5");
    const report = await checkInvariants(bed, { orderIds: ["no-such-order", pending] });
    expect(report.violations.map((v) => [v.guarantee, v.orderId])).toEqual([
      [1, "no-such-order"],
      [1, pending],
    ]);
    const running = await checkInvariants(bed, { orderIds: [pending], requireSettled: false });
    expect(running.violations).toEqual([]);
  });

  it("finds stock held for an order that does not exist", async () => {
    const orderId = await anOrder("Confirmed", "SKU-GHOST");
    await productWithHold("SKU-GHOST", 10, {
      [orderId]: { quantity: 2, state: "committed" },
      "no-such-order": { quantity: 3, state: "reserved" },
    });
    await bed.ledger.items.create(reservation(orderId, "committed"));
    await bed.ledger.items.create(payment(orderId, { authorize: approved, capture: captured }));
    const report = await checkInvariants(bed, { orderIds: [orderId] });
    expect(report.violations).toEqual([
      {
        guarantee: 5,
        orderId: "no-such-order",
        sku: "SKU-GHOST",
        message: "holds 3 of SKU-GHOST (reserved) for an order that does not exist",
      },
    ]);
  });

  it("checks the SKUs it is given besides the orders' own", async () => {
    await productWithHold("SKU-ORPHAN", 10, { "ghost-order": { quantity: 1, state: "reserved" } });
    const none = await checkInvariants(bed, { orderIds: [] });
    expect(none.violations).toEqual([]);
    const report = await checkInvariants(bed, { orderIds: [], skus: ["SKU-ORPHAN"] });
    expect(describeViolations(report)).toBe(
      "G5 order ghost-order sku SKU-ORPHAN: holds 1 of SKU-ORPHAN (reserved) for an order that does not exist",
    );
  });
});
