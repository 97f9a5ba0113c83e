import { MESSAGE_SOURCES } from "../../contracts/messages/messageTypes";
import type { ShortLine } from "../../contracts/messages/inventoryRejected";
import { InventoryRejectedSchema } from "../../contracts/messages/inventoryRejected";
import { InventoryCommittedSchema } from "../../contracts/messages/inventoryCommitted";
import { InventoryReleasedSchema } from "../../contracts/messages/inventoryReleased";
import { InventoryReservedSchema } from "../../contracts/messages/inventoryReserved";
import { InventoryShippedSchema } from "../../contracts/messages/inventoryShipped";
import type { CommitInventory } from "../../contracts/messages/commitInventory";
import type { ReleaseInventory } from "../../contracts/messages/releaseInventory";
import type { ReserveInventory } from "../../contracts/messages/reserveInventory";
import type { ShipInventory } from "../../contracts/messages/shipInventory";
import { InventoryCommandSchema } from "../../contracts/messages/unions";
import { QUEUES } from "../../config/names";
import type { ReceivedMessage } from "../receivedMessage";
import { parseReceived } from "../receivedMessage";
import { replyTo } from "../replyEnvelope";
import { logStep } from "../logStep";
import type {
  MessagePublisher,
  ProductStock,
  ReservationDocument,
  ReservationRecords,
  StoredReservation,
} from "../../ports";
import { reservationId } from "../../ports";

export interface InventoryHandlerDeps {
  readonly stock: ProductStock;
  readonly records: ReservationRecords;
  readonly publisher: MessagePublisher;
  readonly now: () => Date;
}

/**
 * The inventory participant: reserve all lines or none, commit, release, ship. Every command is
 * idempotent (the reservation record's state plus per-product holds), so a redelivered
 * message changes nothing and a crash mid-reservation is finished by the redelivery.
 */
export function createInventoryHandler(deps: InventoryHandlerDeps) {
  const { stock, records, publisher, now } = deps;
  const reply = (envelope: Parameters<MessagePublisher["publish"]>[1]) =>
    publisher.publish(QUEUES.sagaReplies, envelope);
  const meta = () => ({ source: MESSAGE_SOURCES.inventory, now: now() });

  /**
   * The order's reservation record, created as `initial` when absent. `fresh`: it is most
   * likely absent (a first reserve), so the create goes first and a redelivery pays the read.
   */
  async function load(
    orderId: string,
    initial: ReservationDocument,
    fresh = false,
  ): Promise<StoredReservation> {
    for (;;) {
      const found = fresh
        ? ((await records.create(initial)) ?? (await records.read(orderId)))
        : ((await records.read(orderId)) ?? (await records.create(initial)));
      if (found) return found;
    }
  }

  async function reserve(command: ReserveInventory): Promise<string> {
    const { orderId, lines } = command.data;
    let record = await load(
      orderId,
      {
        id: reservationId(orderId),
        type: "reservation",
        orderId,
        state: "reserving",
        lines,
        updatedAt: now().toISOString(),
      },
      true,
    );
    for (;;) {
      const { state } = record.doc;
      if (state === "released") return "AlreadyReleased"; // the saga gave up on it; hold nothing
      if (state === "reserved" || state === "committed" || state === "shipped") {
        await reply(replyTo(command, InventoryReservedSchema, { orderId }, meta()));
        return "Reserved";
      }
      if (state === "rejected") {
        const shortLines = [...(record.doc.shortLines ?? [])];
        await reply(replyTo(command, InventoryRejectedSchema, { orderId, shortLines }, meta()));
        return "Rejected";
      }
      // reserving: hold each line (a repeat finds its hold and moves on), in SKU order.
      const sorted = [...record.doc.lines].sort((a, b) => a.sku.localeCompare(b.sku));
      const shortLines: ShortLine[] = [];
      for (const line of sorted) {
        if (shortLines.length > 0) {
          const available = (await stock.available(line.sku)) ?? 0;
          if (available < line.quantity)
            shortLines.push({ sku: line.sku, requested: line.quantity, available });
          continue;
        }
        const held = await stock.hold(line.sku, orderId, line.quantity);
        if (held.kind !== "held") {
          const available = held.kind === "short" ? held.available : 0;
          shortLines.push({ sku: line.sku, requested: line.quantity, available });
        }
      }
      if (shortLines.length > 0) for (const line of sorted) await stock.release(line.sku, orderId);
      const next: ReservationDocument = {
        ...record.doc,
        state: shortLines.length > 0 ? "rejected" : "reserved",
        ...(shortLines.length > 0 ? { shortLines } : {}),
        updatedAt: now().toISOString(),
      };
      const written = await records.replace(record, next);
      if (written) {
        record = written;
        continue; // replies from the recorded state
      }
      // Someone else wrote the record (a duplicate delivery, or a release that overtook us).
      record = (await records.read(orderId)) as StoredReservation;
      if (record.doc.state === "released") {
        for (const line of sorted) await stock.release(line.sku, orderId);
      }
    }
  }

  /**
   * The order shipped: every product first, then the record, so a crash in between is
   * finished by the redelivery (each product step is a no-op once done). A record already
   * shipped replies again; any other state than committed means the saga has moved on, so
   * nothing changes and nothing is said.
   */
  async function ship(command: ShipInventory): Promise<string> {
    const { orderId } = command.data;
    let record = await records.read(orderId);
    while (record) {
      if (record.doc.state === "shipped") {
        await reply(replyTo(command, InventoryShippedSchema, { orderId }, meta()));
        return "Shipped";
      }
      if (record.doc.state !== "committed") return `NotShipped:${record.doc.state}`;
      // Its committed units leave on-hand stock (never twice: the hold goes).
      for (const line of record.doc.lines) await stock.ship(line.sku, orderId);
      const next: ReservationDocument = {
        ...record.doc,
        state: "shipped",
        updatedAt: now().toISOString(),
      };
      record = (await records.replace(record, next)) ?? (await records.read(orderId));
    }
    return "NoReservation";
  }

  /**
   * Payment captured: the reservation becomes a commitment. The record first, in one
   * conditional write that needs no read; then the products. A crash in between leaves a
   * committed record, and the redelivery commits its products again (a no-op once done) before
   * it replies. A release that runs in between gives the holds back, and the late product
   * commits then find no hold and change nothing. Any state other than reserved or committed
   * means the saga has moved on: nothing changes and nothing is said.
   */
  async function commit(command: CommitInventory): Promise<string> {
    const { orderId } = command.data;
    const record =
      (await records.moveState(orderId, "reserved", "committed", now())) ??
      (await records.read(orderId));
    if (!record) return "NoReservation";
    if (record.doc.state !== "committed") return `NotCommitted:${record.doc.state}`;
    for (const line of record.doc.lines) await stock.commit(line.sku, orderId, line.quantity);
    await reply(replyTo(command, InventoryCommittedSchema, { orderId }, meta()));
    return "Committed";
  }

  async function release(command: ReleaseInventory): Promise<string> {
    const { orderId } = command.data;
    let record = await load(orderId, {
      id: reservationId(orderId),
      type: "reservation",
      orderId,
      state: "released",
      lines: [],
      updatedAt: now().toISOString(),
    });
    // Shipped goods have left and are not given back (the saga never compensates after
    // Shipped); claiming "released" would tell a compensation something untrue.
    if (record.doc.state === "shipped") return "NotReleasable:shipped";
    while (record.doc.state !== "released") {
      // Stock first, record second: a crash in between leaves a record that still says what
      // to give back, and giving back a hold that is gone is a no-op.
      for (const line of record.doc.lines) await stock.release(line.sku, orderId);
      const next: ReservationDocument = {
        ...record.doc,
        state: "released",
        updatedAt: now().toISOString(),
      };
      record = (await records.replace(record, next)) ?? (await load(orderId, next));
    }
    await reply(replyTo(command, InventoryReleasedSchema, { orderId }, meta()));
    return "Released";
  }

  return async function handleInventoryMessage(message: ReceivedMessage): Promise<void> {
    const command = parseReceived(InventoryCommandSchema, message);
    await logStep(message.log, now, command, () => {
      switch (command.type) {
        case "ReserveInventory":
          return reserve(command);
        case "CommitInventory":
          return commit(command);
        case "ReleaseInventory":
          return release(command);
        case "ShipInventory":
          return ship(command);
      }
    });
  };
}
