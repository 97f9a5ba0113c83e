import type { Container } from "@azure/cosmos";
import type {
  ReservationDocument,
  ReservationRecords,
  ReservationState,
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

  moveState(
    orderId: string,
    from: ReservationState,
    to: ReservationState,
    at: Date,
  ): Promise<StoredReservation | undefined> {
    // States are the port's literals, safe to write into the condition as they are.
    return this.docs.patchWhere(
      reservationId(orderId),
      orderId,
      `FROM c WHERE c.state = '${from}'`,
      [
        { op: "set", path: "/state", value: to },
        { op: "set", path: "/updatedAt", value: at.toISOString() },
      ],
    );
  }

  replace(
    current: StoredReservation,
    next: ReservationDocument,
  ): Promise<StoredReservation | undefined> {
    return this.docs.replace(current, next);
  }
}
