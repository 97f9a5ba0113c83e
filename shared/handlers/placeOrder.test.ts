import { ORDER_EVENTS_TOPIC, SAGA_SUBSCRIPTION } from "../config/names";
import { aCreateOrderRequest, anItem, items } from "../contracts/testing/httpBuilders";
import { ServiceBusClient } from "@azure/service-bus";
import { ServiceBusPublisher } from "../adapters/servicebus/serviceBusPublisher";
import { startServiceBusEmulator } from "@order-processing/local-runtime/servicebus";
import type { CosmosOrderRepository } from "../adapters/cosmos/cosmosOrderRepository";
import { createGetOrderHandler } from "./getOrder";
import { createOutboxRelay } from "./outboxRelay";
import { apiRequest, jsonOf, startApiTestbed, type ApiTestbed } from "./testing/apiTestbed";
import { placeOrderOn } from "./testing/placeOrderOn";

let bed: ApiTestbed;
beforeAll(async () => {
  bed = await startApiTestbed();
});
afterAll(async () => {
  await bed.close();
});

const post = (customerId: string, body: unknown, headers: Record<string, string> = {}) =>
  apiRequest({
    method: "POST",
    path: "/orders",
    headers: { "X-Customer-Id": customerId, ...headers },
    body,
  });

/** The outbox relay over the testbed: 10 s grace, batches of 100. */
const relayOnTestbed = () =>
  createOutboxRelay({
    orders: bed.orders,
    publisher: bed.publisher,
    clock: bed.clock,
    logger: bed.logger,
    graceInMs: 10_000,
    batchSize: 100,
    publishTimeoutInMs: 5000,
  });

async function drain(
  topicSubscription: [string, string],
  serviceBus: ServiceBusClient,
  orderId: string,
) {
  const receiver = serviceBus.createReceiver(...topicSubscription, {
    receiveMode: "receiveAndDelete",
  });
  const seen: unknown[] = [];
  try {
    for (;;) {
      const batch = await receiver.receiveMessages(50, { maxWaitTimeInMs: 1500 });
      if (batch.length === 0) break;
      seen.push(
        ...batch
          .map((m) => m.body as { subject?: string })
          .filter((body) => body.subject === orderId),
      );
    }
  } finally {
    await receiver.close();
  }
  return seen;
}

describe("createPlaceOrderHandler", () => {
  it("prices from the catalog, answers 202 with Location, and stores the order", async () => {
    const placeOrder = placeOrderOn(bed);
    const response = await placeOrder(
      post(
        "cust-price",
        aCreateOrderRequest({ items: [anItem({ sku: "SKU-0002", quantity: 3 })] }),
      ),
    );
    expect(response.status).toBe(202);
    const body = jsonOf(response);
    const product = (await bed.catalog.get("SKU-0002"))?.product;
    expect(body).toEqual({
      orderId: expect.any(String),
      status: "Pending",
      total: { amount: (product?.price.amount ?? 0) * 3, currency: "USD" },
    });
    expect(response.headers?.Location).toBe(`/api/orders/${body.orderId}`);
    const stored = await bed.orders.get("cust-price", body.orderId);
    expect(stored?.order.items[0]).toMatchObject({
      sku: "SKU-0002",
      quantity: 3,
      unitPrice: product?.price,
    });
  });

  it("replays the same answer for the same key and body, and writes one order", async () => {
    const placeOrder = placeOrderOn(bed);
    const request = aCreateOrderRequest();
    const first = await placeOrder(post("cust-idem", request, { "Idempotency-Key": "key-1" }));
    // Same content, other key order: the body hash is canonical.
    const { items: lines, ...rest } = request;
    const reordered = { ...rest, items: lines };
    const second = await placeOrder(post("cust-idem", reordered, { "Idempotency-Key": "key-1" }));
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(jsonOf(second)).toEqual(jsonOf(first));
    expect(second.headers?.Location).toBe(first.headers?.Location);
    const page = await bed.orders.list("cust-idem", { limit: 100 });
    expect(page.orders).toHaveLength(1);
  });

  it("answers 409 for the same key with another body", async () => {
    const placeOrder = placeOrderOn(bed);
    await placeOrder(post("cust-idem-409", aCreateOrderRequest(), { "Idempotency-Key": "k" }));
    const other = await placeOrder(
      post("cust-idem-409", aCreateOrderRequest({ items: [anItem({ quantity: 5 })] }), {
        "Idempotency-Key": "k",
      }),
    );
    expect(other.status).toBe(409);
    expect(other.headers?.["Content-Type"]).toBe("application/problem+json");
    expect(jsonOf(other).type).toBe("/problems/idempotency-key-reused");
  });

  it("keeps keys per customer: another customer's same key is a new order", async () => {
    const placeOrder = placeOrderOn(bed);
    const a = jsonOf(
      await placeOrder(post("cust-k1", aCreateOrderRequest(), { "Idempotency-Key": "shared" })),
    );
    const b = jsonOf(
      await placeOrder(post("cust-k2", aCreateOrderRequest(), { "Idempotency-Key": "shared" })),
    );
    expect(a.orderId).not.toBe(b.orderId);
  });

  it("gives one order to concurrent requests with the same key", async () => {
    const placeOrder = placeOrderOn(bed);
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        placeOrder(post("cust-race", aCreateOrderRequest(), { "Idempotency-Key": "race" })),
      ),
    );
    expect(new Set(responses.map((r) => String(jsonOf(r).orderId))).size).toBe(1);
    expect((await bed.orders.list("cust-race", { limit: 100 })).orders).toHaveLength(1);
  });

  it("treats an expired key as new", async () => {
    const placeOrder = placeOrderOn(bed, { idempotencyTtlInSeconds: 60 });
    const first = jsonOf(
      await placeOrder(post("cust-expiry", aCreateOrderRequest(), { "Idempotency-Key": "old" })),
    );
    bed.clock.advance(61_000);
    const second = await placeOrder(
      post("cust-expiry", aCreateOrderRequest({ items: [anItem({ quantity: 7 })] }), {
        "Idempotency-Key": "old",
      }),
    );
    expect(second.status).toBe(202);
    expect(jsonOf(second).orderId).not.toBe(first.orderId);
  });

  it("names unknown SKUs with 422", async () => {
    const response = await placeOrderOn(bed)(
      post(
        "cust-422",
        aCreateOrderRequest({
          items: [
            anItem({ sku: "SKU-0001" }),
            anItem({ sku: "NOPE-1" }),
            anItem({ sku: "NOPE-2" }),
          ],
        }),
      ),
    );
    expect(response.status).toBe(422);
    expect(jsonOf(response).detail).toContain("NOPE-1, NOPE-2");
    expect(jsonOf(response).errors).toEqual([
      { path: "items[1].sku", message: "is not in the catalog" },
      { path: "items[2].sku", message: "is not in the catalog" },
    ]);
  });

  it("answers 400 problem+json naming phone for a number that is not E.164", async () => {
    const response = await placeOrderOn(bed)(
      post("cust-phone", aCreateOrderRequest({ phone: "+44 7700 900123" })),
    );
    expect(response.status).toBe(400);
    expect(response.headers?.["Content-Type"]).toBe("application/problem+json");
    expect(jsonOf(response).errors).toEqual([
      { path: "phone", message: expect.stringContaining("E.164") },
    ]);
  });

  it("keeps a valid phone on the order and in OrderPlaced, for the notifications", async () => {
    const placeOrder = placeOrderOn(bed);
    const response = await placeOrder(
      post("cust-phone", aCreateOrderRequest({ phone: "+447700900123" })),
    );
    expect(response.status).toBe(202);
    const { orderId } = jsonOf(response);
    const getOrder = createGetOrderHandler({ orders: bed.orders });
    const read = await getOrder(
      apiRequest({ headers: { "X-Customer-Id": "cust-phone" }, params: { orderId } }),
    );
    expect(jsonOf(read).phone).toBe("+447700900123");
    const messages = await drain([ORDER_EVENTS_TOPIC, SAGA_SUBSCRIPTION], bed.serviceBus, orderId);
    expect(messages).toMatchObject([{ data: { orderId, phone: "+447700900123" } }]);
  });

  it("publishes OrderPlaced with messageId = event id and marks the outbox entry sent", async () => {
    const placeOrder = placeOrderOn(bed);
    const { orderId } = jsonOf(
      await placeOrder(post("cust-pub", aCreateOrderRequest({ items: items(3) }))),
    );
    const messages = await drain([ORDER_EVENTS_TOPIC, SAGA_SUBSCRIPTION], bed.serviceBus, orderId);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      type: "OrderPlaced",
      subject: orderId,
      data: { orderId, customerId: "cust-pub" },
    });
    bed.clock.advance(60_000);
    const pending = await bed.orders.pendingOutbox(bed.clock.now(), 100);
    expect(pending.filter((entry) => entry.orderId === orderId)).toHaveLength(0);
  });

  it("carries the request's x-correlation-id and traceparent into OrderPlaced and echoes the id", async () => {
    const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const response = await placeOrderOn(bed)(
      post("cust-corr", aCreateOrderRequest(), {
        "x-correlation-id": "apim-req 42",
        traceparent,
      }),
    );
    expect(response.status).toBe(202);
    expect(response.headers?.["x-correlation-id"]).toBe("apim-req 42");
    const { orderId } = jsonOf(response);
    const messages = await drain([ORDER_EVENTS_TOPIC, SAGA_SUBSCRIPTION], bed.serviceBus, orderId);
    expect(messages).toEqual([
      expect.objectContaining({ type: "OrderPlaced", correlationid: "apim-req 42", traceparent }),
    ]);
  });

  it.each([
    ["absent", {}],
    [
      "invalid",
      {
        "x-correlation-id": "x".repeat(129),
        traceparent: "00-00000000000000000000000000000000-b7ad6b7169203331-01",
      },
    ],
  ])("falls back to the event id when the correlation id is %s", async (_, headers) => {
    const response = await placeOrderOn(bed)(
      post("cust-corr-none", aCreateOrderRequest(), headers),
    );
    expect(response.status).toBe(202);
    const { orderId } = jsonOf(response);
    const messages = (await drain(
      [ORDER_EVENTS_TOPIC, SAGA_SUBSCRIPTION],
      bed.serviceBus,
      orderId,
    )) as { id: string; correlationid: string; traceparent?: string }[];
    expect(messages).toHaveLength(1);
    expect(messages[0]?.correlationid).toBe(messages[0]?.id);
    expect(messages[0]?.traceparent).toBeUndefined();
    expect(response.headers?.["x-correlation-id"]).toBe(messages[0]?.id);
  });

  it("answers 202 while Service Bus is down; the relay publishes later, once", async () => {
    const down = await startServiceBusEmulator({ port: 0 });
    await down.close();
    const deadClient = new ServiceBusClient(down.connectionString, {
      retryOptions: { maxRetries: 0, timeoutInMs: 500 },
    });
    const deadPublisher = new ServiceBusPublisher(deadClient);
    try {
      const placeOrder = placeOrderOn(bed, { publisher: deadPublisher, publishTimeoutInMs: 1000 });
      const response = await placeOrder(post("cust-outage", aCreateOrderRequest()));
      expect(response.status).toBe(202);
      const { orderId } = jsonOf(response);
      const getOrder = createGetOrderHandler({ orders: bed.orders });
      expect(
        (
          await getOrder(
            apiRequest({ headers: { "X-Customer-Id": "cust-outage" }, params: { orderId } }),
          )
        ).status,
      ).toBe(200);

      bed.clock.advance(30_000);
      const relay = relayOnTestbed();
      const result = await relay();
      expect(result.published).toBeGreaterThanOrEqual(1);
      const [entry] = (await bed.orders.pendingOutbox(bed.clock.now(), 100)).filter(
        (e) => e.orderId === orderId,
      );
      expect(entry).toBeUndefined();
      // A relay that crashed between send and mark sends the same envelope again:
      // duplicate detection (messageId = event id) drops it.
      const sent = await drain([ORDER_EVENTS_TOPIC, SAGA_SUBSCRIPTION], bed.serviceBus, orderId);
      expect(sent).toHaveLength(1);
      await bed.publisher.publish(ORDER_EVENTS_TOPIC, sent[0] as never);
      expect(
        await drain([ORDER_EVENTS_TOPIC, SAGA_SUBSCRIPTION], bed.serviceBus, orderId),
      ).toHaveLength(0);
    } finally {
      await deadPublisher.close();
      await deadClient.close();
    }
  });

  it("leaves an order whose index write failed to the relay: indexed, then published", async () => {
    // The real repository, with only its ledger write failing (no stand-in fails on demand).
    const flaky: CosmosOrderRepository = Object.create(bed.orders) as CosmosOrderRepository;
    flaky.indexOrder = () => Promise.reject(new Error("ledger unavailable"));
    const placeOrder = placeOrderOn(bed, { orders: flaky });
    const response = await placeOrder(post("cust-unindexed", aCreateOrderRequest()));
    expect(response.status).toBe(202);
    const { orderId } = jsonOf(response);
    // Committed, readable by its customer, not yet by id, and OrderPlaced not sent.
    expect(await bed.orders.get("cust-unindexed", orderId)).toBeDefined();
    expect(await bed.orders.getById(orderId)).toBeUndefined();
    expect(await drain([ORDER_EVENTS_TOPIC, SAGA_SUBSCRIPTION], bed.serviceBus, orderId)).toEqual(
      [],
    );

    bed.clock.advance(30_000);
    const relay = relayOnTestbed();
    await relay();
    expect((await bed.orders.getById(orderId))?.order.customerId).toBe("cust-unindexed");
    expect(
      await drain([ORDER_EVENTS_TOPIC, SAGA_SUBSCRIPTION], bed.serviceBus, orderId),
    ).toHaveLength(1);
  });
});
