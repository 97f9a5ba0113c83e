import type { Versioned } from "./versioned";

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

export interface NotificationClaims {
  /** The existing claim, or a new `claimed` one (whoever creates it first wins). */
  claim(initial: NotificationClaim): Promise<StoredClaim>;
  read(orderId: string, template: string): Promise<StoredClaim | undefined>;
  /** Moves the claim on; a concurrent writer's `sent` wins over ours (same email either way). */
  settle(current: StoredClaim, next: NotificationClaim): Promise<void>;
}
