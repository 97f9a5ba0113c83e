import type { Versioned } from "./versioned";

/**
 * One claim per (order, template, channel) in the ledger (partition /orderId, id
 * `notification:<orderId>:<template>` for the email, `…:sms` for the SMS): `claimed` before
 * the message is sent, `sent` after, `rejected` when the service refused the address or
 * number. See the workers README for what a crash between sending and recording does
 * (nothing visible: the re-send is idempotent).
 */
export type ClaimState = "claimed" | "sent" | "rejected";

/** How the customer is told; email claims predate SMS, so theirs carry no `channel`. */
export type NotificationChannel = "email" | "sms";

export interface NotificationClaim {
  readonly id: string;
  readonly type: "notification";
  readonly orderId: string;
  readonly template: string;
  /** Absent on email claims. */
  readonly channel?: "sms";
  readonly state: ClaimState;
  readonly recipient: string;
  readonly claimedAt: string;
  readonly sentAt?: string;
  readonly messageId?: string;
  readonly rejection?: string;
}

export const notificationClaimId = (
  orderId: string,
  template: string,
  channel: NotificationChannel = "email",
): string => `notification:${orderId}:${template}${channel === "email" ? "" : `:${channel}`}`;

export type StoredClaim = Versioned<NotificationClaim>;

export interface NotificationClaims {
  /** The existing claim, or a new `claimed` one (whoever creates it first wins). */
  claim(initial: NotificationClaim): Promise<StoredClaim>;
  read(
    orderId: string,
    template: string,
    channel?: NotificationChannel,
  ): Promise<StoredClaim | undefined>;
  /** Moves the claim on; a concurrent writer's `sent` wins over ours (same message either way). */
  settle(current: StoredClaim, next: NotificationClaim): Promise<void>;
}
