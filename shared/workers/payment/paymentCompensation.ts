import { paymentIdempotencyKey } from "../../contracts/messages/payloads";
import type { Money } from "../../domain";
import type { OperationRecord, PaymentGateway, PaymentRecords, StoredPayment } from "../../ports";

export interface PaymentCompensationDeps {
  readonly gateway: PaymentGateway;
  readonly records: PaymentRecords;
  /** The merchant API key, read through the secret provider on each use. */
  readonly apiKey: () => Promise<string>;
  readonly now: () => Date;
}

/** What an undo found and did: the refund of a capture, or the void of an authorization. */
export interface UndoOutcome {
  readonly refunded?: OperationRecord;
  readonly voided?: OperationRecord;
}

/**
 * The payment's undo side: a void or refund decided on the record it replaces, and the fix-up
 * of an approval that arrived after its void. Forgiving on purpose (a void of a captured
 * payment refunds it, a refund of an uncaptured one voids it, voiding nothing succeeds),
 * because after a timeout the saga cannot know which step took effect.
 */
export function createPaymentCompensation(deps: PaymentCompensationDeps) {
  const { gateway, records, apiKey, now } = deps;

  /**
   * A compensation that ran while the gateway was still deciding found nothing to void and
   * recorded so; the approval that came after must not stay held on the card. Voids it now
   * and records the void (guarantee 3), and tells the caller not to reply. `known`: the record
   * as the caller just wrote it, which is current as of that write, so it spares a read.
   */
  async function voidLateApproval(
    orderId: string,
    authorizationId: string,
    known?: StoredPayment,
  ): Promise<boolean> {
    let latest = known ?? (await records.load(orderId, now()));
    for (;;) {
      const { void: voided, refund } = latest.doc.operations;
      if (!voided && !refund) return false;
      if (voided?.outcome !== "nothingToVoid") return true;
      await gateway.void({
        idempotencyKey: voided.idempotencyKey,
        apiKey: await apiKey(),
        authorizationId,
      });
      const fixed = await records.record(latest, "void", {
        ...voided,
        outcome: "voided",
        authorizationId,
        at: now().toISOString(),
      });
      if (fixed) return true;
      latest = await records.load(orderId, now());
    }
  }

  /**
   * Refunds the capture or voids the authorization, whichever the record holds. The choice is
   * made on the record the write replaces: an authorize or capture recorded by a concurrent
   * delivery after this read fails the ETag, and the loop decides again on the new record.
   * Writing the outcome chosen from the old read would leave an approval or a capture
   * standing on a compensated order (guarantee 3).
   */
  async function undo(orderId: string, amount: Money): Promise<UndoOutcome> {
    for (;;) {
      const stored = await records.load(orderId, now());
      const ops = stored.doc.operations;
      if (ops.refund) return { refunded: ops.refund };
      const authorization = ops.authorize;
      if (ops.capture) {
        const refundKey = paymentIdempotencyKey(orderId, "refund");
        const refundAmount = ops.capture.amount ?? amount;
        const { refundId } = await gateway.refund({
          idempotencyKey: refundKey,
          apiKey: await apiKey(),
          captureId: ops.capture.captureId as string,
          amount: refundAmount,
        });
        const written = await records.record(stored, "refund", {
          idempotencyKey: refundKey,
          outcome: "refunded",
          amount: refundAmount,
          refundId,
          at: now().toISOString(),
        });
        if (written) return { refunded: written.doc.operations.refund as OperationRecord };
        continue;
      }
      // A void that found nothing, followed by an approval (its delivery died before voiding
      // it): the approval is still held, so void it now.
      const approved = authorization?.outcome === "approved";
      if (ops.void && (ops.void.outcome === "voided" || !approved)) return { voided: ops.void };
      const voidKey = paymentIdempotencyKey(orderId, "void");
      if (approved) {
        await gateway.void({
          idempotencyKey: voidKey,
          apiKey: await apiKey(),
          authorizationId: authorization.authorizationId as string,
        });
      }
      const written = await records.record(stored, "void", {
        idempotencyKey: voidKey,
        outcome: approved ? "voided" : "nothingToVoid",
        ...(authorization?.authorizationId
          ? { authorizationId: authorization.authorizationId }
          : {}),
        at: now().toISOString(),
      });
      if (written) return { voided: written.doc.operations.void as OperationRecord };
    }
  }

  return { undo, voidLateApproval };
}
