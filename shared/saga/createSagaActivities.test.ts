import { recordingInvocation } from "../adapters/logging/testing/recordingInvocation";
import { catalogSeed } from "../catalog/catalogSeed";
import { aCreateOrderRequest } from "../contracts/testing/httpBuilders";
import { createOrder, requestCancellation } from "../domain";
import { startApiTestbed, type ApiTestbed } from "../handlers/testing/apiTestbed";
import { recordingPublisher } from "../workers/testing/workerTestbed";
import { createSagaActivities } from "./createSagaActivities";
import { SAGA_ACTIVITIES } from "./names";
import type { SagaTrace } from "./sagaTypes";

let bed: ApiTestbed;
beforeAll(async () => {
  bed = await startApiTestbed();
});
afterAll(() => bed.close());

let seq = 0;
async function placed(): Promise<{ orderId: string; customerId: string; trace: SagaTrace }> {
  const orderId = `activity-order-${++seq}`;
  const customerId = `activity-customer-${seq}`;
  const order = createOrder(
    { orderId, customerId, ...aCreateOrderRequest() },
    catalogSeed(3),
    bed.clock.now(),
  );
  await bed.orders.placeOrder({
    order,
    maxUnitsHeld: 1000,
    outbox: {
      eventId: `placed-${orderId}`,
      customerId,
      orderId,
      destination: "order-events",
      envelope: { id: `placed-${orderId}` } as never,
      createdAt: bed.clock.now().toISOString(),
    },
  });
  return {
    orderId,
    customerId,
    trace: { orderId, correlationId: `corr-${orderId}`, causationId: "e" },
  };
}

function activities(publisher = recordingPublisher()) {
  return createSagaActivities({ orders: bed.orders, publisher });
}

/** A status write that carries the authorization as the next step (as the saga sends it). */
function reservedWithAuthorization(placedOrder: Awaited<ReturnType<typeof placed>>) {
  const { orderId, customerId, trace } = placedOrder;
  const amount = { amount: 100, currency: "USD" };
  return {
    orderId,
    customerId,
    status: "InventoryReserved",
    failureReason: null,
    at: bed.clock.now().toISOString(),
    trace,
    step: { step: "ReserveInventory", outcome: "Reserved", durationMs: 5 },
    then: [
      {
        type: "AuthorizePayment",
        data: { orderId, idempotencyKey: `${orderId}:authorize`, amount },
      },
    ],
  } as const;
}

describe("createSagaActivities", () => {
  it("updateOrderStatus writes the step line, with the failure reason, to the activity's log", async () => {
    const { orderId, customerId, trace } = await placed();
    const invocation = recordingInvocation(SAGA_ACTIVITIES.updateOrderStatus);
    await activities()[SAGA_ACTIVITIES.updateOrderStatus](
      {
        orderId,
        customerId,
        status: "Failed",
        failureReason: "OutOfStock",
        at: bed.clock.now().toISOString(),
        trace,
        step: { step: "Compensate", outcome: "Failed", durationMs: 7 },
      },
      invocation.log,
    );
    expect(invocation.steps()).toEqual([
      {
        level: "information",
        fields: {
          orderId,
          correlationId: trace.correlationId,
          step: "Compensate",
          outcome: "Failed",
          durationMs: 7,
          status: "Failed",
          applied: true,
          failureReason: "OutOfStock",
        },
      },
    ]);
  });

  it("sendCommand writes the step line it carries, and none without one", async () => {
    const { orderId, trace } = await placed();
    const send = activities()[SAGA_ACTIVITIES.sendCommand];
    const command = { type: "ReleaseInventory", data: { orderId } } as const;
    const at = bed.clock.now().toISOString();
    const withStep = recordingInvocation(SAGA_ACTIVITIES.sendCommand);
    const step = { step: "AuthorizePayment", outcome: "PaymentDeclined", durationMs: 3 };
    await send({ command, attempt: 1, trace, at, step }, withStep.log);
    expect(withStep.steps()).toEqual([
      { level: "information", fields: { orderId, correlationId: trace.correlationId, ...step } },
    ]);
    const without = recordingInvocation(SAGA_ACTIVITIES.sendCommand);
    await send({ command, attempt: 2, trace, at }, without.log);
    expect(without.lines).toEqual([]);
  });

  it("updateOrderStatus sends the next step's commands once the status holds, again on a retry", async () => {
    const order = await placed();
    const publisher = recordingPublisher();
    const update = activities(publisher)[SAGA_ACTIVITIES.updateOrderStatus];
    const input = reservedWithAuthorization(order);
    const first = await update(input, recordingInvocation("a").log);
    // A retry (the first acknowledgement lost) finds the status written and sends again,
    // under the same message id, which Service Bus duplicate detection drops.
    const retry = await update(input, recordingInvocation("b").log);
    expect([first.applied, retry.applied]).toEqual([true, false]);
    expect(publisher.sent.map((s) => [s.destination, s.envelope.type, s.envelope.id])).toEqual([
      ["payments", "AuthorizePayment", `${order.orderId}:AuthorizePayment`],
      ["payments", "AuthorizePayment", `${order.orderId}:AuthorizePayment`],
    ]);
    // The card token comes from the stored order, never from the saga's history.
    expect(publisher.sent[0]?.envelope.data).toMatchObject({ token: "tok_visa" });
  });

  it("updateOrderStatus sends nothing when the Order API moved the order to Cancelling", async () => {
    const order = await placed();
    const found = await bed.orders.get(order.customerId, order.orderId);
    const cancelling = requestCancellation(found!.order, "CancelledByCustomer", bed.clock.now());
    await bed.orders.replace(cancelling, found!.etag);
    const publisher = recordingPublisher();
    const result = await activities(publisher)[SAGA_ACTIVITIES.updateOrderStatus](
      reservedWithAuthorization(order),
      recordingInvocation("c").log,
    );
    expect(result).toEqual({
      applied: false,
      status: "Cancelling",
      failureReason: "CancelledByCustomer",
    });
    expect(publisher.sent).toEqual([]);
  });
});
