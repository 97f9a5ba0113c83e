import type { Container } from "@azure/cosmos";
import { LedgerDocuments, type Versioned } from "../ledgerDocuments";

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

export type StoredClaim = Versioned<NotificationClaim>;

export class NotificationClaims {
  private readonly docs: LedgerDocuments<NotificationClaim>;

  constructor(ledger: Container) {
    this.docs = new LedgerDocuments(ledger);
  }

  /** The existing claim, or a new `claimed` one. */
  claim(initial: NotificationClaim): Promise<StoredClaim> {
    return this.docs.readOrCreate(initial);
  }

  read(orderId: string, template: string): Promise<StoredClaim | undefined> {
    return this.docs.read(notificationClaimId(orderId, template), orderId);
  }

  /** Moves the claim on; a concurrent writer's `sent` wins over ours (same email either way). */
  async settle(current: StoredClaim, next: NotificationClaim): Promise<void> {
    await this.docs.replace(current, next);
  }
}
