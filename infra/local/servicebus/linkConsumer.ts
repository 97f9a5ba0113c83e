import { randomUUID } from "node:crypto";
import type { Delivery, Sender } from "rhea";
import { conditions } from "./brokerError";
import { encodeStoredMessage } from "./encodeMessage";
import { lockTokenToDeliveryTag } from "./lockToken";
import type { Consumer, MessageStore } from "./messageStore";
import { forgetDelivery, internals } from "./rheaInternals";
import type { StoredMessage } from "./storedMessage";

/** Lock token of each peek-locked delivery, to turn a disposition into a store operation. */
export const deliveryLocks = new WeakMap<Delivery, string>();

/** A receiving client link: the store pushes messages into it while it has credit. */
export class LinkConsumer implements Consumer {
  readonly receiveAndDelete: boolean;
  constructor(
    readonly link: Sender,
    readonly store: MessageStore,
    /** Counts each delivery (the broker's operation counts). */
    private readonly delivered: () => void = () => undefined,
  ) {
    this.receiveAndDelete = internals(link).remote.attach?.snd_settle_mode === 1;
  }
  /**
   * Deliveries handed to rhea but not yet written: rhea only takes credit off the link when
   * it writes the transfer, so without this a pump loop would hand out more than the credit.
   */
  private readonly unsent: number[] = [];

  credit(): number {
    if (!this.link.is_open() || !this.link.sendable()) return 0;
    const next = (this.link.session as unknown as { outgoing: { next_pending_delivery: number } })
      .outgoing.next_pending_delivery;
    while (this.unsent.length > 0 && (this.unsent[0] as number) < next) this.unsent.shift();
    return internals(this.link).credit - this.unsent.length;
  }
  deliver(m: StoredMessage, lockToken: string | undefined): void {
    const tag = lockTokenToDeliveryTag(lockToken ?? randomUUID());
    const payload = encodeStoredMessage(m, { lockedUntil: lockToken ? m.lockedUntil : undefined });
    const d = this.link.send(payload, tag, 0);
    this.delivered();
    this.unsent.push((d as unknown as { id: number }).id);
    if (lockToken) {
      deliveryLocks.set(d, lockToken);
      this.open.set(lockToken, d);
    }
  }

  /** Unsettled deliveries of this link by lock token. */
  private readonly open = new Map<string, Delivery>();

  /** The delivery was settled on the link; it no longer needs forgetting. */
  settledOnLink(token: string): void {
    this.open.delete(token);
  }

  /**
   * The link closed: its unsettled deliveries will never be settled on it (their locks run
   * out in the store), so rhea may drop them.
   */
  forgetAll(): void {
    for (const d of this.open.values()) forgetDelivery(d);
    this.open.clear();
  }
  sessionLost(): void {
    this.link.close({
      condition: conditions.sessionLockLost,
      description:
        "The session lock has expired on the MessageSession. Accept a new MessageSession.",
    });
  }
}
