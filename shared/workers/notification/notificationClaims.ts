import type { Container } from "@azure/cosmos";
import { isConflict, isNotFound, isPreconditionFailed } from "../cosmosErrors";

/**
 * One claim per (order, template) in the ledger (partition /orderId, id
 * `notification:<orderId>:<template>`): `claimed` before the email is sent, `sent` after,
 * `rejected` when the service refused the address. See the workers README for what a
 * crash between sending and recording does (nothing visible: the re-send is idempotent).
 */
export type ClaimState = "claimed" | "sent" | "rejected";

export interface NotificationClaim {
  readonly id: string;
  readonly type: "notification";
  readonly orderId: string;
  readonly template: string;
  readonly state: ClaimState;
  readonly recipient: string;
  readonly claimedAt: string;
  readonly sentAt?: string;
  readonly messageId?: string;
  readonly rejection?: string;
}

export const notificationClaimId = (orderId: string, template: string): string =>
  `notification:${orderId}:${template}`;

export interface StoredClaim {
  readonly doc: NotificationClaim;
  readonly etag: string;
}

export class NotificationClaims {
  constructor(private readonly ledger: Container) {}

  /** The existing claim, or a new `claimed` one. */
  async claim(initial: NotificationClaim): Promise<StoredClaim> {
    for (;;) {
      const existing = await this.read(initial.orderId, initial.template);
      if (existing) return existing;
      try {
        const { resource, etag } = await this.ledger.items.create(initial);
        return { doc: resource ?? initial, etag: etag ?? "" };
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
  }

  async read(orderId: string, template: string): Promise<StoredClaim | undefined> {
    try {
      const { resource, etag } = await this.ledger
        .item(notificationClaimId(orderId, template), orderId)
        .read<NotificationClaim>();
      return resource ? { doc: resource, etag: etag ?? "" } : undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Moves the claim on; a concurrent writer's `sent` wins over ours (same email either way). */
  async settle(current: StoredClaim, next: NotificationClaim): Promise<void> {
    try {
      await this.ledger
        .item(next.id, next.orderId)
        .replace(next, { accessCondition: { type: "IfMatch", condition: current.etag } });
    } catch (error) {
      if (!isPreconditionFailed(error)) throw error;
    }
  }
}
