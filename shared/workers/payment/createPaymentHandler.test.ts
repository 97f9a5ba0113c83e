import {
  DEFAULT_RESILIENCE,
  createResilientGateway,
} from "../../adapters/payment/resilientGateway";
import { recordingInvocation } from "../../adapters/logging/testing/recordingInvocation";
import { createSimulatedGateway } from "../../adapters/payment/simulatedGateway";
import { createSettingsSecretProvider } from "../../adapters/secrets/settingsSecretProvider";
import { AuthorizePaymentSchema } from "../../contracts/messages/authorizePayment";
import { CapturePaymentSchema } from "../../contracts/messages/capturePayment";
import { paymentIdempotencyKey } from "../../contracts/messages/payloads";
import { RefundPaymentSchema } from "../../contracts/messages/refundPayment";
import { VoidPaymentSchema } from "../../contracts/messages/voidPayment";
import type { WorkerTestbed } from "../testing/workerTestbed";
import { aCommand, recordingPublisher, startWorkerTestbed } from "../testing/workerTestbed";
import { createPaymentHandler } from "./createPaymentHandler";
import { PaymentRecords, paymentRecordId } from "./paymentRecord";
import type { PaymentDocument } from "./paymentRecord";

let bed: WorkerTestbed;
beforeAll(async () => {
  bed = await startWorkerTestbed();
});
afterAll(() => bed.close());

const total = { amount: 2598, currency: "USD" };
let seq = 0;
const nextOrder = () => `pay-order-${++seq}`;

function setup(apiKey = "local-placeholder") {
  const publisher = recordingPublisher();
  const inner = createSimulatedGateway();
  let gatewayCalls = 0;
  const counting = {
    authorize: (...a: Parameters<typeof inner.authorize>) => (
      gatewayCalls++,
      inner.authorize(...a)
    ),
    capture: (...a: Parameters<typeof inner.capture>) => (gatewayCalls++, inner.capture(...a)),
    void: (...a: Parameters<typeof inner.void>) => (gatewayCalls++, inner.void(...a)),
    refund: (...a: Parameters<typeof inner.refund>) => (gatewayCalls++, inner.refund(...a)),
  };
  const gateway = createResilientGateway(counting, {
    ...DEFAULT_RESILIENCE,
    timeoutInMs: 50,
    now: Date.now,
    sleep: () => Promise.resolve(),
  });
  const handle = createPaymentHandler({
    gateway,
    records: new PaymentRecords(bed.ledger),
    secrets: createSettingsSecretProvider({ "payment-gateway-api-key": apiKey }),
    apiKeySecretName: "payment-gateway-api-key",
    publisher,
    now: () => new Date("2026-01-01T00:00:05Z"),
  });
  return {
    handle,
    publisher,
    replies: () => publisher.sent.map((s) => s.envelope.type),
    calls: () => gatewayCalls,
  };
}

/**
 * A payment handler whose first void has read the record and stops just before writing its
 * decision, until released: a concurrent command can then land in between.
 */
function voidPausedBeforeItsWrite(publisher: ReturnType<typeof recordingPublisher>) {
  let release: () => void = () => undefined;
  let entered: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const writing = new Promise<void>((resolve) => (entered = resolve));
  class GatedRecords extends PaymentRecords {
    private gated = true;
    override async record(...args: Parameters<PaymentRecords["record"]>) {
      if (args[1] === "void" && this.gated) {
        this.gated = false;
        entered();
        await gate;
      }
      return super.record(...args);
    }
  }
  const handle = createPaymentHandler({
    gateway: createSimulatedGateway(),
    records: new GatedRecords(bed.ledger),
    secrets: createSettingsSecretProvider({ "payment-gateway-api-key": "k" }),
    apiKeySecretName: "payment-gateway-api-key",
    publisher,
    now: () => new Date("2026-01-01T00:00:05Z"),
  });
  return { handle, writing, release: () => release() };
}

const authorize = (orderId: string, token: string) =>
  aCommand(AuthorizePaymentSchema, {
    orderId,
    idempotencyKey: paymentIdempotencyKey(orderId, "authorize"),
    amount: total,
    token,
  });
const capture = (orderId: string) =>
  aCommand(CapturePaymentSchema, {
    orderId,
    idempotencyKey: paymentIdempotencyKey(orderId, "capture"),
    amount: total,
  });
const voidIt = (orderId: string) =>
  aCommand(VoidPaymentSchema, {
    orderId,
    idempotencyKey: paymentIdempotencyKey(orderId, "void"),
    amount: total,
  });
const refund = (orderId: string) =>
  aCommand(RefundPaymentSchema, {
    orderId,
    idempotencyKey: paymentIdempotencyKey(orderId, "refund"),
    amount: total,
  });

async function ledger(orderId: string): Promise<PaymentDocument["operations"]> {
  const { resource } = await bed.ledger
    .item(paymentRecordId(orderId), orderId)
    .read<PaymentDocument>();
  return resource?.operations ?? {};
}

describe("createPaymentHandler", () => {
  it("writes one step line to the invocation's log, without the card token", async () => {
    const { handle } = setup();
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
    const { handle, replies, calls } = setup();
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
    const ops = await ledger(order);
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
    const { handle, publisher } = setup();
    await handle(authorize(nextOrder(), token));
    expect(publisher.sent[0]?.envelope).toMatchObject({
      type: "PaymentDeclined",
      data: { operation: "authorize", reason },
    });
  });

  it("replies nothing for tok_timeout and completes (the saga's timer decides)", async () => {
    const { handle, replies } = setup();
    const order = nextOrder();
    await handle(authorize(order, "tok_timeout"));
    expect(replies()).toEqual([]);
    expect((await ledger(order)).authorize?.outcome).toBe("timedOut");
  });

  it("approves tok_flaky after retrying its transient failures", async () => {
    const { handle, replies, calls } = setup();
    await handle(authorize(nextOrder(), "tok_flaky"));
    expect(replies()).toEqual(["PaymentAuthorized"]);
    expect(calls()).toBe(3);
  });

  it("voids an authorization, and a void with nothing to void still succeeds", async () => {
    const { handle, replies } = setup();
    const order = nextOrder();
    await handle(authorize(order, "tok_visa"));
    await handle(voidIt(order));
    await handle(voidIt(order));
    expect((await ledger(order)).void?.outcome).toBe("voided");
    const never = nextOrder();
    await handle(voidIt(never));
    expect((await ledger(never)).void?.outcome).toBe("nothingToVoid");
    expect(replies()).toEqual([
      "PaymentAuthorized",
      "PaymentVoided",
      "PaymentVoided",
      "PaymentVoided",
    ]);
  });

  it("refunds a capture in full once; a void of a captured payment refunds too", async () => {
    const { handle, replies, publisher } = setup();
    const order = nextOrder();
    await handle(authorize(order, "tok_visa"));
    await handle(capture(order));
    await handle(voidIt(order));
    await handle(refund(order));
    expect(replies().slice(2)).toEqual(["PaymentRefunded", "PaymentRefunded"]);
    expect(publisher.sent[2]?.envelope.data).toMatchObject({ amount: total });
    expect((await ledger(order)).refund).toMatchObject({
      outcome: "refunded",
      idempotencyKey: `${order}:refund`,
    });
  });

  it("does not authorize after a void overtook it, and does not capture a voided payment", async () => {
    const { handle, replies, calls } = setup();
    const order = nextOrder();
    await handle(voidIt(order));
    await handle(authorize(order, "tok_visa"));
    await handle(capture(order));
    expect(replies()).toEqual(["PaymentVoided"]);
    expect(calls()).toBe(0);
  });

  it("voids an approval that arrived after a void found nothing to void", async () => {
    const { handle, replies, publisher } = setup();
    const order = nextOrder();
    let release: () => void = () => undefined;
    let entered: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const atGateway = new Promise<void>((resolve) => (entered = resolve));
    const slow = createPaymentHandler({
      gateway: {
        ...createSimulatedGateway(),
        authorize: async (request) => {
          entered();
          await gate;
          return createSimulatedGateway().authorize(request);
        },
      },
      records: new PaymentRecords(bed.ledger),
      secrets: createSettingsSecretProvider({ "payment-gateway-api-key": "k" }),
      apiKeySecretName: "payment-gateway-api-key",
      publisher,
      now: () => new Date("2026-01-01T00:00:05Z"),
    });
    const authorizing = slow(authorize(order, "tok_visa"));
    await atGateway;
    await handle(voidIt(order));
    release();
    await authorizing;
    expect(replies()).toEqual(["PaymentVoided"]);
    const ops = await ledger(order);
    expect(ops.authorize?.outcome).toBe("approved");
    expect(ops.void).toMatchObject({
      outcome: "voided",
      authorizationId: ops.authorize?.authorizationId,
    });
  });

  it("voids an approval recorded while a void was deciding on an older read of the record", async () => {
    // The void reads the record (no approval yet), an authorize then records its approval
    // and finds no void, and only then does the void write: it must decide again on the
    // record it overwrites, not write "nothing to void" from its stale read.
    const { handle, replies, publisher } = setup();
    const order = nextOrder();
    const paused = voidPausedBeforeItsWrite(publisher);
    const voiding = paused.handle(voidIt(order));
    await paused.writing;
    await handle(authorize(order, "tok_visa"));
    paused.release();
    await voiding;
    expect(replies()).toEqual(["PaymentAuthorized", "PaymentVoided"]);
    const ops = await ledger(order);
    expect(ops.authorize?.outcome).toBe("approved");
    expect(ops.void).toMatchObject({
      outcome: "voided",
      authorizationId: ops.authorize?.authorizationId,
    });
  });

  it("refunds a capture recorded while a void was deciding on an older read of the record", async () => {
    const { handle, replies, publisher } = setup();
    const order = nextOrder();
    await handle(authorize(order, "tok_visa"));
    const paused = voidPausedBeforeItsWrite(publisher);
    const voiding = paused.handle(voidIt(order));
    await paused.writing;
    await handle(capture(order));
    paused.release();
    await voiding;
    expect(replies()).toEqual(["PaymentAuthorized", "PaymentCaptured", "PaymentRefunded"]);
    const ops = await ledger(order);
    expect(ops.capture?.outcome).toBe("captured");
    expect(ops.refund).toMatchObject({ outcome: "refunded", amount: total });
    expect(ops.void).toBeUndefined();
  });

  it("refunds a capture that a void overtook while the gateway was capturing", async () => {
    const { handle, replies, publisher } = setup();
    const order = nextOrder();
    await handle(authorize(order, "tok_visa"));
    let release: () => void = () => undefined;
    let entered: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const atGateway = new Promise<void>((resolve) => (entered = resolve));
    const slow = createPaymentHandler({
      gateway: {
        ...createSimulatedGateway(),
        capture: async (request) => {
          entered();
          await gate;
          return createSimulatedGateway().capture(request);
        },
      },
      records: new PaymentRecords(bed.ledger),
      secrets: createSettingsSecretProvider({ "payment-gateway-api-key": "k" }),
      apiKeySecretName: "payment-gateway-api-key",
      publisher,
      now: () => new Date("2026-01-01T00:00:05Z"),
    });
    const capturing = slow(capture(order));
    await atGateway;
    await handle(voidIt(order));
    release();
    await capturing;
    expect(replies()).toEqual(["PaymentAuthorized", "PaymentVoided"]);
    const ops = await ledger(order);
    expect(ops.capture?.outcome).toBe("captured");
    expect(ops.refund).toMatchObject({ outcome: "refunded", amount: total });
  });

  it("fails (for redelivery) when the API key is missing, recording nothing", async () => {
    const { handle, replies } = setup("");
    const order = nextOrder();
    await expect(handle(authorize(order, "tok_visa"))).rejects.toThrow("payment-gateway-api-key");
    expect(replies()).toEqual([]);
    expect((await ledger(order)).authorize).toBeUndefined();
  });

  it("treats an idempotency key that breaks the convention as poison", async () => {
    const { handle } = setup();
    const bad = authorize(nextOrder(), "tok_visa");
    (bad.body as { data: { idempotencyKey: string } }).data.idempotencyKey = "other";
    await expect(handle(bad)).rejects.toMatchObject({ deadLetterReason: "InvalidMessage" });
  });
});
