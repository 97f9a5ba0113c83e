import type { Container } from "@azure/cosmos";
import type {
  NotificationChannel,
  NotificationClaim,
  NotificationClaims,
  StoredClaim,
} from "../../ports/notificationClaims";
import { notificationClaimId } from "../../ports/notificationClaims";
import { LedgerDocuments } from "./ledgerDocuments";

/** Notification claims as ledger documents (partition /orderId). */
export class CosmosNotificationClaims implements NotificationClaims {
  private readonly docs: LedgerDocuments<NotificationClaim>;

  constructor(ledger: Container) {
    this.docs = new LedgerDocuments(ledger);
  }

  /** Each template's claim is made once per order, so it is most likely absent: create first. */
  claim(initial: NotificationClaim): Promise<StoredClaim> {
    return this.docs.createOrRead(initial);
  }

  read(
    orderId: string,
    template: string,
    channel?: NotificationChannel,
  ): Promise<StoredClaim | undefined> {
    return this.docs.read(notificationClaimId(orderId, template, channel), orderId);
  }

  async settle(current: StoredClaim, next: NotificationClaim): Promise<void> {
    await this.docs.replace(current, next);
  }
}
