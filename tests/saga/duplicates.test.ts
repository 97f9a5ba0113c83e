import { ServiceBusClient } from "@azure/service-bus";
import { anItem } from "../../shared/contracts/testing/httpBuilders";
import { newEnvelope } from "../../shared/contracts/messages/envelope";
import type {
  CloudEventSchema,
  OrderPayloadSchema,
} from "../../shared/contracts/messages/envelope";
import { toServiceBusMessage } from "../../shared/contracts/messages/serviceBusMessage";
import { paymentIdempotencyKey } from "../../shared/contracts/messages/payloads";
import { MESSAGE_SOURCES } from "../../shared/contracts/messages/messageTypes";
import { OrderPlacedSchema } from "../../shared/contracts/messages/orderPlaced";
import { ReserveInventorySchema } from "../../shared/contracts/messages/reserveInventory";
import { CommitInventorySchema } from "../../shared/contracts/messages/commitInventory";
import { AuthorizePaymentSchema } from "../../shared/contracts/messages/authorizePayment";
import { CapturePaymentSchema } from "../../shared/contracts/messages/capturePayment";
import { SendNotificationSchema } from "../../shared/contracts/messages/sendNotification";
import { InventoryReservedSchema } from "../../shared/contracts/messages/inventoryReserved";
import { PaymentAuthorizedSchema } from "../../shared/contracts/messages/paymentAuthorized";
import { PaymentCapturedSchema } from "../../shared/contracts/messages/paymentCaptured";
import { InventoryCommittedSchema } from "../../shared/contracts/messages/inventoryCommitted";
import { ShipInventorySchema } from "../../shared/contracts/messages/shipInventory";
import { InventoryShippedSchema } from "../../shared/contracts/messages/inventoryShipped";
import { CONNECTIONS, ORDER_EVENTS_TOPIC, QUEUES } from "../../shared/config/names";
import { admin, hasStatus } from "../support/apiClient";
import { waitFor } from "../support/waitFor";
import {
  type SagaStack,
  emailsOf,
  expectInvariants,
  paymentRecordOf,
  productStockOf,
  startSagaStack,
  stepLines,
  waitForEmails,
} from "./sagaStack";

let stack: SagaStack;
let serviceBus: ServiceBusClient;
beforeAll(async () => {
  stack = await startSagaStack();
  serviceBus = new ServiceBusClient(stack.settings[CONNECTIONS.serviceBus] as string);
}, 120_000);
afterAll(async () => {
  await serviceBus?.close();
  await stack?.stop();
});

/**
 * A second delivery of a message the system already handled. Service Bus duplicate
 * detection drops a re-sent message id, so each copy gets a fresh id: it is what a
 * participant that sent twice (say, retried after a lost acknowledgement) would put on the
 * queue, and the handlers must recognise it by content (order + step), not by id.
 */
async function deliverAgain<T extends string, D extends OrderPayloadSchema>(
  destination: string,
  schema: CloudEventSchema<T, D>,
  data: unknown,
  tag: string,
): Promise<void> {
  const orderId = (data as { orderId: string }).orderId;
  const envelope = newEnvelope(
    schema,
    {
      id: `${orderId}:dup:${tag}`,
      time: new Date(),
      source: MESSAGE_SOURCES.saga,
      correlationid: `dup-${orderId}`,
      causationid: "test",
    },
    data as never,
  );
  const sender = serviceBus.createSender(destination);
  await sender.sendMessages(
    toServiceBusMessage(envelope as Parameters<typeof toServiceBusMessage>[0]),
  );
  await sender.close();
}

/** Waits until the host logged a step line for this order `count` times. */
async function waitForStepLines(orderId: string, step: string, count: number): Promise<void> {
  const seen = () =>
    stepLines(stack).filter((l) => l.fields.orderId === orderId && l.fields.step === step).length;
  await waitFor(() => (seen() >= count ? true : undefined), {
    timeoutMs: 30_000,
    intervalMs: 100,
    what: () => `saw ${seen()} ${step} lines for ${orderId}, wanted ${count}`,
  });
}

describe("every message delivered twice on the local stack", () => {
  it("changes nothing: no second reservation, charge, email or saga", async () => {
    await stack.api.setStock("SKU-0060", 10);
    const placed = await stack.api.placeOrder("dup-1", {
      items: [anItem({ sku: "SKU-0060", quantity: 3 })],
    });
    const confirmed = await stack.api.waitForOrder(placed, hasStatus("Confirmed"));
    await waitForEmails(stack, placed.orderId, ["OrderConfirmed"]);
    const paymentBefore = await paymentRecordOf(stack, placed.orderId);
    const { orderId } = placed;
    const total = confirmed.total;
    const full = (await stack.api.readOrder(placed)).json;

    await deliverAgain(
      ORDER_EVENTS_TOPIC,
      OrderPlacedSchema,
      {
        orderId,
        customerId: placed.customerId,
        email: "ada@example.com",
        currency: "USD",
        items: full.items,
        total,
      },
      "placed",
    );
    await deliverAgain(
      QUEUES.inventory,
      ReserveInventorySchema,
      { orderId, lines: [{ sku: "SKU-0060", quantity: 3 }] },
      "reserve",
    );
    await deliverAgain(QUEUES.inventory, CommitInventorySchema, { orderId }, "commit");
    await deliverAgain(
      QUEUES.payments,
      AuthorizePaymentSchema,
      {
        orderId,
        idempotencyKey: paymentIdempotencyKey(orderId, "authorize"),
        amount: total,
        token: "tok_visa",
      },
      "authorize",
    );
    await deliverAgain(
      QUEUES.payments,
      CapturePaymentSchema,
      { orderId, idempotencyKey: paymentIdempotencyKey(orderId, "capture"), amount: total },
      "capture",
    );
    await deliverAgain(
      QUEUES.notifications,
      SendNotificationSchema,
      {
        orderId,
        recipient: "ada@example.com",
        template: "OrderConfirmed",
        items: full.items.map(({ sku, name, quantity, lineTotal }) => ({
          sku,
          name,
          quantity,
          lineTotal,
        })),
        total,
      },
      "email",
    );
    await deliverAgain(QUEUES.sagaReplies, InventoryReservedSchema, { orderId }, "reserved");
    await deliverAgain(
      QUEUES.sagaReplies,
      PaymentAuthorizedSchema,
      { orderId, amount: total, authorizationId: "dup" },
      "authorized",
    );
    await deliverAgain(
      QUEUES.sagaReplies,
      PaymentCapturedSchema,
      { orderId, amount: total, captureId: "dup" },
      "captured",
    );
    await deliverAgain(QUEUES.sagaReplies, InventoryCommittedSchema, { orderId }, "committed");

    await waitForStepLines(orderId, "StartSaga", 2);
    for (const step of [
      "ReserveInventory",
      "CommitInventory",
      "AuthorizePayment",
      "CapturePayment",
    ]) {
      await waitForStepLines(orderId, step, 2);
    }
    await waitForStepLines(orderId, "Notify:OrderConfirmed", 2);
    for (const reply of [
      "InventoryReserved",
      "PaymentAuthorized",
      "PaymentCaptured",
      "InventoryCommitted",
    ]) {
      await waitForStepLines(orderId, `Reply:${reply}`, 2);
    }

    expect((await stack.api.call("/products/SKU-0060")).json.available).toBe(7);
    expect(await paymentRecordOf(stack, orderId)).toMatchObject({
      operations: paymentBefore?.operations,
    });
    expect(Object.keys(await emailsOf(stack, orderId))).toEqual(["OrderConfirmed"]);
    const after = await stack.api.waitForOrder(placed, hasStatus("Confirmed"));
    expect(after.timeline).toEqual(confirmed.timeline);
    await expectInvariants(stack, [orderId]);
  }, 90_000);

  it("retires shipped stock once, however often the shipment and its reply arrive", async () => {
    await stack.api.setStock("SKU-0062", 10);
    const placed = await stack.api.placeOrder("dup-ship", {
      items: [anItem({ sku: "SKU-0062", quantity: 4 })],
    });
    const { orderId } = placed;
    await stack.api.waitForOrder(placed, hasStatus("Confirmed"));
    expect(
      (await stack.api.call(`/orders/${orderId}/ship`, { method: "POST", ...admin })).status,
    ).toBe(202);
    await waitForEmails(stack, orderId, ["OrderConfirmed", "OrderShipped"]);
    const shipped = { stock: 6, reserved: 0, committed: 0, holds: {} };
    expect(await productStockOf(stack, "SKU-0062")).toMatchObject(shipped);

    await deliverAgain(QUEUES.inventory, ShipInventorySchema, { orderId }, "ship");
    await deliverAgain(QUEUES.sagaReplies, InventoryShippedSchema, { orderId }, "shipped");
    await waitForStepLines(orderId, "ShipInventory", 2);
    await waitForStepLines(orderId, "Reply:InventoryShipped", 2);

    expect(await productStockOf(stack, "SKU-0062")).toMatchObject(shipped);
    expect(Object.keys(await emailsOf(stack, orderId)).sort()).toEqual([
      "OrderConfirmed",
      "OrderShipped",
    ]);
    expect(
      (await stack.api.call(`/orders/${orderId}/deliver`, { method: "POST", ...admin })).status,
    ).toBe(202);
    await stack.api.waitForOrder(placed, hasStatus("Delivered"));
    await expectInvariants(stack, [orderId]);
  }, 90_000);

  it("completes a reply for a finished saga, logging it, without raising or retrying it", async () => {
    await stack.api.setStock("SKU-0061", 10);
    const placed = await stack.api.placeOrder("dup-finished", {
      items: [anItem({ sku: "SKU-0061", quantity: 1 })],
      payment: { method: "card", token: "tok_decline" },
    });
    await stack.api.waitForOrder(placed, hasStatus("Failed"));
    await waitForEmails(stack, placed.orderId, ["OrderFailed"]);
    // The instance completes right after the email command; wait for the runtime to say so.
    await waitFor(
      async () =>
        (await stack.api.sagaInstance(placed.orderId)).status === 200 ? true : undefined,
      { timeoutMs: 30_000, intervalMs: 100, what: "saga instance completing" },
    );
    await deliverAgain(
      QUEUES.sagaReplies,
      PaymentAuthorizedSchema,
      { orderId: placed.orderId, amount: { amount: 1, currency: "USD" }, authorizationId: "late" },
      "late",
    );
    await waitForStepLines(placed.orderId, "Reply:PaymentAuthorized", 1);
    const line = stepLines(stack).find(
      (l) => l.fields.orderId === placed.orderId && l.fields.step === "Reply:PaymentAuthorized",
    );
    expect(line).toMatchObject({
      fn: "sagaReplies",
      level: "warning",
      fields: { outcome: "Dropped:finished" },
    });
    await expectInvariants(stack, [placed.orderId]);
  }, 60_000);
});
