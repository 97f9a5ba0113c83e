import type { Money } from "../domain";
import type { PaymentOperation } from "../contracts/messages/payloads";
import type { Versioned } from "./versioned";

/**
 * The payment participant's record of one order (ledger, partition /orderId, id
 * `payment:<orderId>`): the recorded outcome of each operation under its idempotency key
 * `${orderId}:${operation}`. A repeated command is answered from here without calling the
 * gateway; the gateway's own idempotency covers a crash between its answer and this record.
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

export type StoredPayment = Versioned<PaymentDocument>;

export interface PaymentRecords {
  /** The record, created empty on first use. */
  load(orderId: string, now: Date): Promise<StoredPayment>;
  /**
   * As `load`, for a record that is most likely absent (the order's first payment command):
   * the create goes first, so the usual case costs one request and a repeat pays the read.
   */
  open(orderId: string, now: Date): Promise<StoredPayment>;
  read(orderId: string): Promise<StoredPayment | undefined>;
  /** Sets one operation's outcome if the record is unchanged; undefined when it changed. */
  record(
    current: StoredPayment,
    operation: PaymentOperation,
    outcome: OperationRecord,
  ): Promise<StoredPayment | undefined>;
}
