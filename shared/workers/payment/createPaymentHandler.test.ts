import { recordingInvocation } from "../../adapters/logging/testing/recordingInvocation";
import type { WorkerTestbed } from "../testing/workerTestbed";
import { startWorkerTestbed } from "../testing/workerTestbed";
import {
  authorize,
  capture,
  ledgerOf,
  orderIds,
  paymentSetup,
  total,
} from "./testing/paymentTestbed";

let bed: WorkerTestbed;
beforeAll(async () => {
  bed = await startWorkerTestbed();
});
afterAll(() => bed.close());

const nextOrder = orderIds("pay-order");

describe("createPaymentHandler", () => {
  it("writes one step line to the invocation's log, without the card token", async () => {
    const { handle } = paymentSetup(bed);
    const order = nextOrder();
    const invocation = recordingInvocation("paymentWorker");
    await handle({ ...authorize(order, "tok_visa"), log: invocation.log });
    expect(invocation.steps()).toEqual([
      {
        level: "information",
        fields: {
          orderId: order,
          correlationId: `corr-${order}`,
          step: "AuthorizePayment",
          outcome: "Authorized",
          durationMs: 0,
        },
      },
    ]);
    expect(invocation.lines.map((l) => l.message).join("\n")).not.toContain("tok_visa");
  });

  it("authorizes and captures once, answering repeats from the ledger", async () => {
    const { handle, replies, calls } = paymentSetup(bed);
    const order = nextOrder();
    const auth = authorize(order, "tok_visa");
    await handle(auth);
    await handle(auth);
    const cap = capture(order);
    await handle(cap);
    await handle(cap);
    expect(replies()).toEqual([
      "PaymentAuthorized",
      "PaymentAuthorized",
      "PaymentCaptured",
      "PaymentCaptured",
    ]);
    expect(calls()).toBe(2);
    const ops = await ledgerOf(bed, order);
    expect(ops.capture).toMatchObject({
      idempotencyKey: `${order}:capture`,
      outcome: "captured",
      amount: total,
    });
  });

  it.each([
    ["tok_decline", "PaymentDeclined"],
    ["tok_insufficient_funds", "InsufficientFunds"],
  ])("declines %s with reason %s", async (token, reason) => {
    const { handle, publisher } = paymentSetup(bed);
    await handle(authorize(nextOrder(), token));
    expect(publisher.sent[0]?.envelope).toMatchObject({
      type: "PaymentDeclined",
      data: { operation: "authorize", reason },
    });
  });

  it("replies nothing for tok_timeout and completes (the saga's timer decides)", async () => {
    const { handle, replies } = paymentSetup(bed);
    const order = nextOrder();
    await handle(authorize(order, "tok_timeout"));
    expect(replies()).toEqual([]);
    expect((await ledgerOf(bed, order)).authorize?.outcome).toBe("timedOut");
  });

  it("approves tok_flaky after retrying its transient failures", async () => {
    const { handle, replies, calls } = paymentSetup(bed);
    await handle(authorize(nextOrder(), "tok_flaky"));
    expect(replies()).toEqual(["PaymentAuthorized"]);
    expect(calls()).toBe(3);
  });

  it("fails (for redelivery) when the API key is missing, recording nothing", async () => {
    const { handle, replies } = paymentSetup(bed, "");
    const order = nextOrder();
    await expect(handle(authorize(order, "tok_visa"))).rejects.toThrow("payment-gateway-api-key");
    expect(replies()).toEqual([]);
    expect((await ledgerOf(bed, order)).authorize).toBeUndefined();
  });

  it("treats an idempotency key that breaks the convention as poison", async () => {
    const { handle } = paymentSetup(bed);
    const bad = authorize(nextOrder(), "tok_visa");
    (bad.body as { data: { idempotencyKey: string } }).data.idempotencyKey = "other";
    await expect(handle(bad)).rejects.toMatchObject({ deadLetterReason: "InvalidMessage" });
  });
});
