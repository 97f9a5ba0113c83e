/**
 * What one customer can hold, and what racing placements leave behind, through the local
 * host against the Cosmos stand-in (docs/http-api.md "Hold limit", "Idempotency"). The
 * API's functions alone, so placed orders stay Pending and keep holding their units.
 */
import { COSMOS_CONTAINERS } from "../shared/config/names";
import { HEADERS } from "../shared/contracts/http/common";
import { PROBLEM_TYPES } from "../shared/contracts/http/problemDetails";
import { aCreateOrderRequest, anItem } from "../shared/contracts/testing/httpBuilders";
import { expectProblem } from "../tests/support/expectProblem";
import { useTestStack } from "../tests/support/useTestStack";

const LIMIT = 10;
const file = useTestStack({
  apiOnly: true,
  failOnServerError: true,
  settings: { MAX_UNITS_HELD_PER_CUSTOMER: String(LIMIT) },
});
const { api } = file;

/** The orderId → customer index documents in the ledger that name this customer. */
async function indexedOrderIds(customerId: string): Promise<string[]> {
  const { resources } = await file.stack
    .database()
    .container(COSMOS_CONTAINERS.ledger.id)
    .items.query<{ orderId: string }>({
      query: "SELECT c.orderId FROM c WHERE c.kind = @kind AND c.customerId = @customerId",
      parameters: [
        { name: "@kind", value: "orderIndex" },
        { name: "@customerId", value: customerId },
      ],
    })
    .fetchAll();
  return resources.map((index) => index.orderId).sort();
}

async function listedOrderIds(customerId: string): Promise<string[]> {
  const list = await api.call("/orders?limit=100", { customerId });
  expect(list.status).toBe(200);
  return (list.json.items as { orderId: string }[]).map((order) => order.orderId).sort();
}

const order = (quantity: number, sku = "SKU-0001") =>
  aCreateOrderRequest({ items: [anItem({ sku, quantity })] });

describe("racing POSTs with one Idempotency-Key", () => {
  it("50 at once place one order and leave exactly its index behind", async () => {
    const customerId = "race-one-key";
    const body = order(1);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        api.postOrder(customerId, body, { [HEADERS.idempotencyKey]: "race-key-1" }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(202));
    const orderIds = new Set(answers.map((answer) => answer.json.orderId as string));
    expect(orderIds.size).toBe(1);
    expect(await listedOrderIds(customerId)).toEqual([...orderIds]);
    expect(await indexedOrderIds(customerId)).toEqual([...orderIds]);
    // The index is what an operator's read goes through.
    const [orderId] = [...orderIds];
    const asOperator = await api.call(`/orders/${orderId}`, { customerId: "ops", roles: "admin" });
    expect(asOperator.status).toBe(200);
  });
});

describe("the hold limit (MAX_UNITS_HELD_PER_CUSTOMER)", () => {
  it("refuses an order past the units held in unsettled orders with a 409 naming items", async () => {
    const customerId = "holder-1";
    expect((await api.postOrder(customerId, order(6))).status).toBe(202);
    const refused = await api.postOrder(customerId, order(5, "SKU-0002"));
    expectProblem(refused, 409);
    expect(refused.json.type).toBe(PROBLEM_TYPES.holdLimitExceeded);
    expect(refused.json.detail).toBe(
      `This order's 5 units would take the units held in unsettled orders from 6 past the limit of ${LIMIT}.`,
    );
    expect(refused.json.errors).toEqual([
      { path: "items", message: "must hold at most 4 units now" },
    ]);
    // Up to the limit is fine; the refused order left neither an order nor an index.
    expect((await api.postOrder(customerId, order(4, "SKU-0002"))).status).toBe(202);
    const listed = await listedOrderIds(customerId);
    expect(listed).toHaveLength(2);
    expect(await indexedOrderIds(customerId)).toEqual(listed);
    // Another customer holds nothing yet.
    expect((await api.postOrder("holder-2", order(LIMIT))).status).toBe(202);
  });

  it("refuses one order that alone asks for more than the limit", async () => {
    const refused = await api.postOrder(
      "holder-3",
      aCreateOrderRequest({
        items: [anItem({ sku: "SKU-0001", quantity: 6 }), anItem({ sku: "SKU-0002", quantity: 5 })],
      }),
    );
    expectProblem(refused, 409);
    expect(refused.json.errors).toEqual([
      { path: "items", message: `must hold at most ${LIMIT} units now` },
    ]);
  });

  it("holds against placements racing each other", async () => {
    const customerId = "holder-race";
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => api.postOrder(customerId, order(3, `SKU-000${i + 1}`))),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    // 3 orders of 3 units fit under 10; every other one is refused, none is lost to a 5xx.
    expect(statuses).toEqual([202, 202, 202, 409, 409, 409, 409, 409]);
    const listed = await listedOrderIds(customerId);
    expect(listed).toHaveLength(3);
    expect(await indexedOrderIds(customerId)).toEqual(listed);
  });

  it("replays a placed order's key even when the customer is now at the limit", async () => {
    const customerId = "holder-replay";
    const body = order(LIMIT);
    const headers = { [HEADERS.idempotencyKey]: "replay-at-limit" };
    const first = await api.postOrder(customerId, body, headers);
    expect(first.status).toBe(202);
    const again = await api.postOrder(customerId, body, headers);
    expect(again.status).toBe(202);
    expect(again.json.orderId).toBe(first.json.orderId);
  });
});
