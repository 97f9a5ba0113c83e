import type { InventoryLine } from "../contracts/messages/payloads";
import type { ShortLine } from "../contracts/messages/inventoryRejected";
import type { Versioned } from "./versioned";

/**
 * The inventory participant's record of one order (ledger, partition /orderId, id
 * `reservation:<orderId>`). Its state makes every command a no-op on repeat:
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

/** Reads and conditional writes of reservation records; a lost race answers undefined. */
export interface ReservationRecords {
  read(orderId: string): Promise<StoredReservation | undefined>;
  /** Creates the record; undefined when another delivery created it first. */
  create(doc: ReservationDocument): Promise<StoredReservation | undefined>;
  /**
   * Moves the record from `from` to `to` in one conditional write, without reading it first;
   * undefined when it is not in `from` (or absent).
   */
  moveState(
    orderId: string,
    from: ReservationState,
    to: ReservationState,
    at: Date,
  ): Promise<StoredReservation | undefined>;
  /** Replaces the record if unchanged since read; undefined when someone else wrote it. */
  replace(
    current: StoredReservation,
    next: ReservationDocument,
  ): Promise<StoredReservation | undefined>;
}
