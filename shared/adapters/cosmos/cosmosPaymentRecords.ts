import type { Container } from "@azure/cosmos";
import type { PaymentOperation } from "../../contracts/messages/payloads";
import type {
  OperationRecord,
  PaymentDocument,
  PaymentRecords,
  StoredPayment,
} from "../../ports/paymentRecords";
import { paymentRecordId } from "../../ports/paymentRecords";
import { LedgerDocuments } from "./ledgerDocuments";

/** Payment records as ledger documents (partition /orderId). */
export class CosmosPaymentRecords implements PaymentRecords {
  private readonly docs: LedgerDocuments<PaymentDocument>;

  constructor(ledger: Container) {
    this.docs = new LedgerDocuments(ledger);
  }

  load(orderId: string, now: Date): Promise<StoredPayment> {
    return this.docs.readOrCreate(emptyRecord(orderId, now));
  }

  open(orderId: string, now: Date): Promise<StoredPayment> {
    return this.docs.createOrRead(emptyRecord(orderId, now));
  }

  read(orderId: string): Promise<StoredPayment | undefined> {
    return this.docs.read(paymentRecordId(orderId), orderId);
  }

  record(
    current: StoredPayment,
    operation: PaymentOperation,
    outcome: OperationRecord,
  ): Promise<StoredPayment | undefined> {
    return this.docs.replace(current, {
      ...current.doc,
      operations: { ...current.doc.operations, [operation]: outcome },
      updatedAt: outcome.at,
    });
  }
}

function emptyRecord(orderId: string, now: Date): PaymentDocument {
  return {
    id: paymentRecordId(orderId),
    type: "payment",
    orderId,
    operations: {},
    updatedAt: now.toISOString(),
  };
}
