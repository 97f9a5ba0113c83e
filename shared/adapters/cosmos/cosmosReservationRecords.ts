import type { Container } from "@azure/cosmos";
import type {
  ReservationDocument,
  ReservationRecords,
  StoredReservation,
} from "../../ports/reservationRecords";
import { reservationId } from "../../ports/reservationRecords";
import { LedgerDocuments } from "./ledgerDocuments";

/** Reservation records as ledger documents (partition /orderId). */
export class CosmosReservationRecords implements ReservationRecords {
  private readonly docs: LedgerDocuments<ReservationDocument>;

  constructor(ledger: Container) {
    this.docs = new LedgerDocuments(ledger);
  }

  read(orderId: string): Promise<StoredReservation | undefined> {
    return this.docs.read(reservationId(orderId), orderId);
  }

  create(doc: ReservationDocument): Promise<StoredReservation | undefined> {
    return this.docs.create(doc);
  }

  replace(
    current: StoredReservation,
    next: ReservationDocument,
  ): Promise<StoredReservation | undefined> {
    return this.docs.replace(current, next);
  }
}
