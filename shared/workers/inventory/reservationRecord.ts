import type { Container } from "@azure/cosmos";
import type { InventoryLine } from "../../contracts/messages/payloads";
import type { ShortLine } from "../../contracts/messages/inventoryRejected";
import { LedgerDocuments, type Versioned } from "../ledgerDocuments";

/**
 * The inventory participant's record of one order (ledger container, partition /orderId,
 * id `reservation:<orderId>`). Its state makes every command a no-op on repeat:
 *
 *   reserving ─► reserved ─► committed ─► shipped (stock retired)
 *       │            │            └────────► released (restocked)
 *       │            └─────────────────────► released
 *       └─► rejected
 *   (none) ─► released   (a release that overtook its reserve: the late reserve is refused)
 *
 * `reserving` is written before any stock moves, so a crash mid-reservation leaves a
 * record that the redelivered command resumes from; holds on the products make the
 * resumed steps idempotent.
 */
export type ReservationState =
  "reserving" | "reserved" | "rejected" | "committed" | "shipped" | "released";

export interface ReservationDocument {
  readonly id: string;
  readonly type: "reservation";
  readonly orderId: string;
  readonly state: ReservationState;
  readonly lines: readonly InventoryLine[];
  readonly shortLines?: readonly ShortLine[];
  readonly updatedAt: string;
}

export const reservationId = (orderId: string): string => `reservation:${orderId}`;

export type StoredReservation = Versioned<ReservationDocument>;

export class ReservationRecords {
  private readonly docs: LedgerDocuments<ReservationDocument>;

  constructor(ledger: Container) {
    this.docs = new LedgerDocuments(ledger);
  }

  read(orderId: string): Promise<StoredReservation | undefined> {
    return this.docs.read(reservationId(orderId), orderId);
  }

  /** Creates the record; undefined when another delivery created it first. */
  create(doc: ReservationDocument): Promise<StoredReservation | undefined> {
    return this.docs.create(doc);
  }

  /** Replaces the record if unchanged since read; undefined when someone else wrote it. */
  replace(
    current: StoredReservation,
    next: ReservationDocument,
  ): Promise<StoredReservation | undefined> {
    return this.docs.replace(current, next);
  }
}
