import type { Container } from "@azure/cosmos";
import type { InventoryLine } from "../../contracts/messages/payloads";
import type { ShortLine } from "../../contracts/messages/inventoryRejected";
import { isConflict, isNotFound, isPreconditionFailed } from "../cosmosErrors";

/**
 * The inventory participant's record of one order (ledger container, partition /orderId,
 * id `reservation:<orderId>`). Its state makes every command a no-op on repeat:
 *
 *   reserving ─► reserved ─► committed ─► released (restocked)
 *       │            └─────────────────────► released
 *       └─► rejected
 *   (none) ─► released   (a release that overtook its reserve: the late reserve is refused)
 *
 * `reserving` is written before any stock moves, so a crash mid-reservation leaves a
 * record that the redelivered command resumes from; holds on the products make the
 * resumed steps idempotent.
 */
export type ReservationState = "reserving" | "reserved" | "rejected" | "committed" | "released";

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

export interface StoredReservation {
  readonly doc: ReservationDocument;
  readonly etag: string;
}

export class ReservationRecords {
  constructor(private readonly ledger: Container) {}

  async read(orderId: string): Promise<StoredReservation | undefined> {
    try {
      const { resource, etag } = await this.ledger
        .item(reservationId(orderId), orderId)
        .read<ReservationDocument>();
      return resource ? { doc: resource, etag: etag ?? "" } : undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Creates the record; undefined when another delivery created it first. */
  async create(doc: ReservationDocument): Promise<StoredReservation | undefined> {
    try {
      const { resource, etag } = await this.ledger.items.create(doc);
      return { doc: resource ?? doc, etag: etag ?? "" };
    } catch (error) {
      if (isConflict(error)) return undefined;
      throw error;
    }
  }

  /** Replaces the record if unchanged since read; undefined when someone else wrote it. */
  async replace(
    current: StoredReservation,
    next: ReservationDocument,
  ): Promise<StoredReservation | undefined> {
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
