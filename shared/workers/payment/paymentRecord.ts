import type { Container } from "@azure/cosmos";
import type { Money } from "../../domain";
import type { PaymentOperation } from "../../contracts/messages/payloads";
import { isConflict, isNotFound, isPreconditionFailed } from "../cosmosErrors";

/**
 * The payment participant's ledger record of one order (ledger container, partition
 * /orderId, id `payment:<orderId>`): the recorded outcome of each operation under its
 * idempotency key `${orderId}:${operation}`. A repeated command is answered from here
 * without calling the gateway; the gateway's own idempotency covers a crash between its
 * answer and this record.
 */
export type OperationOutcome =
  | "approved"
  | "declined"
  | "timedOut"
  | "captured"
  | "voided"
  | "refunded"
  /** A void with nothing to void (no authorization was ever approved). */
  | "nothingToVoid";

export interface OperationRecord {
  readonly idempotencyKey: string;
  readonly outcome: OperationOutcome;
  readonly amount?: Money;
  readonly authorizationId?: string;
  readonly captureId?: string;
  readonly refundId?: string;
  readonly reason?: "PaymentDeclined" | "InsufficientFunds";
  readonly message?: string;
  readonly at: string;
}

export interface PaymentDocument {
  readonly id: string;
  readonly type: "payment";
  readonly orderId: string;
  readonly operations: Partial<Record<PaymentOperation, OperationRecord>>;
  readonly updatedAt: string;
}

export const paymentRecordId = (orderId: string): string => `payment:${orderId}`;

export interface StoredPayment {
  readonly doc: PaymentDocument;
  readonly etag: string;
}

export class PaymentRecords {
  constructor(private readonly ledger: Container) {}

  /** The record, created empty on first use. */
  async load(orderId: string, now: Date): Promise<StoredPayment> {
    for (;;) {
      const found = await this.read(orderId);
      if (found) return found;
      try {
        const doc: PaymentDocument = {
          id: paymentRecordId(orderId),
          type: "payment",
          orderId,
          operations: {},
          updatedAt: now.toISOString(),
        };
        const { resource, etag } = await this.ledger.items.create(doc);
        return { doc: resource ?? doc, etag: etag ?? "" };
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
  }

  async read(orderId: string): Promise<StoredPayment | undefined> {
    try {
      const { resource, etag } = await this.ledger
        .item(paymentRecordId(orderId), orderId)
        .read<PaymentDocument>();
      return resource ? { doc: resource, etag: etag ?? "" } : undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Sets one operation's outcome if the record is unchanged; undefined when it changed. */
  async record(
    current: StoredPayment,
    operation: PaymentOperation,
    outcome: OperationRecord,
  ): Promise<StoredPayment | undefined> {
    const next: PaymentDocument = {
      ...current.doc,
      operations: { ...current.doc.operations, [operation]: outcome },
      updatedAt: outcome.at,
    };
    try {
      const { resource, etag } = await this.ledger
        .item(next.id, next.orderId)
        .replace(next, { accessCondition: { type: "IfMatch", condition: current.etag } });
      return { doc: resource ?? next, etag: etag ?? "" };
    } catch (error) {
      if (isPreconditionFailed(error)) return undefined;
      throw error;
    }
  }
}
