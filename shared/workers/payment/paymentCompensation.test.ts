import type { WorkerTestbed } from "../testing/workerTestbed";
import { startWorkerTestbed } from "../testing/workerTestbed";
import {
  authorize,
  capture,
  interleave,
  ledgerOf,
  orderIds,
  pausedAtGateway,
  paymentSetup,
  refund,
  total,
  voidIt,
  voidPausedBeforeItsWrite,
} from "./testing/paymentTestbed";

let bed: WorkerTestbed;
beforeAll(async () => {
  bed = await startWorkerTestbed();
});
afterAll(() => bed.close());

const nextOrder = orderIds("pay-undo");

describe("createPaymentCompensation (through the payment handler)", () => {
  it("voids an authorization, and a void with nothing to void still succeeds", async () => {
    const { handle, replies } = paymentSetup(bed);
    const order = nextOrder();
    await handle(authorize(order, "tok_visa"));
    await handle(voidIt(order));
    await handle(voidIt(order));
    expect((await ledgerOf(bed, order)).void?.outcome).toBe("voided");
    const never = nextOrder();
    await handle(voidIt(never));
    expect((await ledgerOf(bed, never)).void?.outcome).toBe("nothingToVoid");
    expect(replies()).toEqual([
      "PaymentAuthorized",
      "PaymentVoided",
      "PaymentVoided",
      "PaymentVoided",
    ]);
  });

  it("refunds a capture in full once; a void of a captured payment refunds too", async () => {
    const { handle, replies, publisher } = paymentSetup(bed);
    const order = nextOrder();
    await handle(authorize(order, "tok_visa"));
    await handle(capture(order));
    await handle(voidIt(order));
    await handle(refund(order));
    expect(replies().slice(2)).toEqual(["PaymentRefunded", "PaymentRefunded"]);
    expect(publisher.sent[2]?.envelope.data).toMatchObject({ amount: total });
    expect((await ledgerOf(bed, order)).refund).toMatchObject({
      outcome: "refunded",
      idempotencyKey: `${order}:refund`,
    });
  });

  it("does not authorize after a void overtook it, and does not capture a voided payment", async () => {
    const { handle, replies, calls } = paymentSetup(bed);
    const order = nextOrder();
    await handle(voidIt(order));
    await handle(authorize(order, "tok_visa"));
    await handle(capture(order));
    expect(replies()).toEqual(["PaymentVoided"]);
    expect(calls()).toBe(0);
  });

  it("voids an approval that arrived after a void found nothing to void", async () => {
    const { handle, replies, publisher } = paymentSetup(bed);
    const order = nextOrder();
    await interleave(
      pausedAtGateway(bed, publisher, "authorize"),
      authorize(order, "tok_visa"),
      () => handle(voidIt(order)),
    );
    expect(replies()).toEqual(["PaymentVoided"]);
    const ops = await ledgerOf(bed, order);
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
    const { handle, replies, publisher } = paymentSetup(bed);
    const order = nextOrder();
    await interleave(voidPausedBeforeItsWrite(bed, publisher), voidIt(order), () =>
      handle(authorize(order, "tok_visa")),
    );
    expect(replies()).toEqual(["PaymentAuthorized", "PaymentVoided"]);
    const ops = await ledgerOf(bed, order);
    expect(ops.authorize?.outcome).toBe("approved");
    expect(ops.void).toMatchObject({
      outcome: "voided",
      authorizationId: ops.authorize?.authorizationId,
    });
  });

  it("refunds a capture recorded while a void was deciding on an older read of the record", async () => {
    const { handle, replies, publisher } = paymentSetup(bed);
    const order = nextOrder();
    await handle(authorize(order, "tok_visa"));
    await interleave(voidPausedBeforeItsWrite(bed, publisher), voidIt(order), () =>
      handle(capture(order)),
    );
    expect(replies()).toEqual(["PaymentAuthorized", "PaymentCaptured", "PaymentRefunded"]);
    const ops = await ledgerOf(bed, order);
    expect(ops.capture?.outcome).toBe("captured");
    expect(ops.refund).toMatchObject({ outcome: "refunded", amount: total });
    expect(ops.void).toBeUndefined();
  });

  it("refunds a capture that a void overtook while the gateway was capturing", async () => {
    const { handle, replies, publisher } = paymentSetup(bed);
    const order = nextOrder();
    await handle(authorize(order, "tok_visa"));
    await interleave(pausedAtGateway(bed, publisher, "capture"), capture(order), () =>
      handle(voidIt(order)),
    );
    expect(replies()).toEqual(["PaymentAuthorized", "PaymentVoided"]);
    const ops = await ledgerOf(bed, order);
    expect(ops.capture?.outcome).toBe("captured");
    expect(ops.refund).toMatchObject({ outcome: "refunded", amount: total });
  });
});
