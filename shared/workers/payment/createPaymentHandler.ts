import { QUEUES } from "../../config/names";
import type { AuthorizePayment } from "../../contracts/messages/authorizePayment";
import type { CapturePayment } from "../../contracts/messages/capturePayment";
import { MESSAGE_SOURCES } from "../../contracts/messages/messageTypes";
import type { PaymentOperation } from "../../contracts/messages/payloads";
import { PaymentAuthorizedSchema } from "../../contracts/messages/paymentAuthorized";
import { PaymentCapturedSchema } from "../../contracts/messages/paymentCaptured";
import { PaymentDeclinedSchema } from "../../contracts/messages/paymentDeclined";
import { PaymentRefundedSchema } from "../../contracts/messages/paymentRefunded";
import { PaymentVoidedSchema } from "../../contracts/messages/paymentVoided";
import type { RefundPayment } from "../../contracts/messages/refundPayment";
import type { VoidPayment } from "../../contracts/messages/voidPayment";
import { PaymentCommandSchema } from "../../contracts/messages/unions";
import { PoisonMessageError } from "../poisonMessageError";
import type { ReceivedMessage } from "../receivedMessage";
import { parseReceived } from "../receivedMessage";
import { replyTo } from "../replyEnvelope";
import { logStep } from "../logStep";
import { createPaymentCompensation } from "./paymentCompensation";
import type {
  MessagePublisher,
  OperationRecord,
  PaymentGateway,
  PaymentRecords,
  SecretProvider,
  StoredPayment,
} from "../../ports";
import { isGatewayError } from "../../ports";

export interface PaymentHandlerDeps {
  readonly gateway: PaymentGateway;
  readonly records: PaymentRecords;
  readonly secrets: SecretProvider;
  /** Name of the gateway API key secret (PAYMENT_GATEWAY_API_KEY_SECRET_NAME). */
  readonly apiKeySecretName: string;
  readonly publisher: MessagePublisher;
  readonly now: () => Date;
}

type Compensation = VoidPayment | RefundPayment;

/**
 * The payment participant: authorize, capture, void, refund. Each operation's outcome is
 * recorded under `${orderId}:${operation}` before the reply is sent; a repeated command
 * replies from the record and never reaches the gateway twice. Void and refund are decided
 * by `createPaymentCompensation`, forgiving on purpose (paymentCompensation.ts).
 */
export function createPaymentHandler(deps: PaymentHandlerDeps) {
  const { gateway, records, secrets, publisher, now } = deps;
  const reply = (envelope: Parameters<MessagePublisher["publish"]>[1]) =>
    publisher.publish(QUEUES.sagaReplies, envelope);
  const meta = () => ({ source: MESSAGE_SOURCES.payments, now: now() });
  const apiKey = () => secrets.getSecret(deps.apiKeySecretName);
  const { undo, voidLateApproval } = createPaymentCompensation({ gateway, records, apiKey, now });

  /**
   * Records an outcome; when another delivery got there first, its outcome wins. Answers the
   * record as written (or as found holding the earlier outcome), which is the latest state as
   * of that write: the write is conditional on the ETag, so anything recorded before it is on
   * it, and anything recorded after it sees this outcome.
   */
  async function record(
    stored: StoredPayment,
    operation: PaymentOperation,
    outcome: Omit<OperationRecord, "at">,
  ): Promise<StoredPayment> {
    let current = stored;
    for (;;) {
      if (current.doc.operations[operation]) return current;
      const written = await records.record(current, operation, {
        ...outcome,
        at: now().toISOString(),
      });
      if (written) return written;
      current = await records.load(current.doc.orderId, now());
    }
  }

  const outcomeOf = (stored: StoredPayment, operation: PaymentOperation): OperationRecord =>
    stored.doc.operations[operation] as OperationRecord;

  async function authorize(command: AuthorizePayment): Promise<string> {
    const { orderId, amount, token, idempotencyKey } = command.data;
    // The order's first payment command: the record is most likely absent, so it is created
    // without a read first.
    const stored = await records.open(orderId, now());
    const ops = stored.doc.operations;
    // Compensated before this (late) authorize arrived: holding money now would leak it.
    if (ops.void || ops.refund) return "AlreadyCompensated";
    let done = ops.authorize;
    // The record as this delivery wrote the outcome, when it did.
    let written: StoredPayment | undefined;
    if (!done) {
      try {
        const result = await gateway.authorize({
          idempotencyKey,
          apiKey: await apiKey(),
          token,
          amount,
        });
        written = await record(
          stored,
          "authorize",
          result.outcome === "approved"
            ? {
                idempotencyKey,
                outcome: "approved",
                amount,
                authorizationId: result.authorizationId,
              }
            : {
                idempotencyKey,
                outcome: "declined",
                amount,
                reason: result.reason,
                message: result.message,
              },
        );
      } catch (error) {
        if (!isGatewayError(error, "Timeout")) throw error;
        // No answer: reply nothing, so the saga's payment timer decides (PaymentTimeout) and
        // its compensation voids whatever the gateway may have done.
        written = await record(stored, "authorize", {
          idempotencyKey,
          outcome: "timedOut",
          amount,
        });
      }
      done = outcomeOf(written, "authorize");
    }
    if (done.outcome === "approved") {
      const authorizationId = done.authorizationId as string;
      if (await voidLateApproval(orderId, authorizationId, written)) return "VoidedLate";
      await reply(
        replyTo(command, PaymentAuthorizedSchema, { orderId, amount, authorizationId }, meta()),
      );
      return "Authorized";
    }
    if (done.outcome === "declined") {
      const reason = done.reason ?? "PaymentDeclined";
      await reply(
        replyTo(
          command,
          PaymentDeclinedSchema,
          { orderId, operation: "authorize", reason, message: done.message },
          meta(),
        ),
      );
      return `Declined:${reason}`;
    }
    return "TimedOut";
  }

  async function capture(command: CapturePayment): Promise<string> {
    const { orderId, amount, idempotencyKey } = command.data;
    const stored = await records.load(orderId, now());
    const ops = stored.doc.operations;
    let done = ops.capture;
    if (!done) {
      if (ops.void || ops.refund) return "AlreadyCompensated";
      const authorization = ops.authorize;
      if (authorization?.outcome !== "approved") return "NotAuthorized";
      if (
        authorization.amount?.amount !== amount.amount ||
        authorization.amount.currency !== amount.currency
      ) {
        throw new PoisonMessageError(
          "AmountMismatch",
          `capture of ${amount.amount} ${amount.currency} differs from the authorization`,
        );
      }
      const { captureId } = await gateway.capture({
        idempotencyKey,
        apiKey: await apiKey(),
        authorizationId: authorization.authorizationId as string,
        amount,
      });
      const written = await record(stored, "capture", {
        idempotencyKey,
        outcome: "captured",
        amount,
        captureId,
      });
      done = outcomeOf(written, "capture");
      // A compensation recorded while the gateway captured voided an authorization that is
      // now captured: refund the capture instead of replying to a saga that has moved on.
      // `written` shows it (a void recorded first failed the capture's ETag, and the capture
      // went onto the re-read record); a void recorded after sees the capture and refunds.
      if (written.doc.operations.void && !written.doc.operations.refund) {
        await undo(orderId, amount);
        return "CompensatedMeanwhile";
      }
    }
    await reply(
      replyTo(
        command,
        PaymentCapturedSchema,
        { orderId, amount: done.amount ?? amount, captureId: done.captureId as string },
        meta(),
      ),
    );
    return "Captured";
  }

  async function compensate(command: Compensation): Promise<string> {
    const { orderId, amount } = command.data;
    const { refunded, voided } = await undo(orderId, amount);
    if (refunded) {
      await reply(
        replyTo(
          command,
          PaymentRefundedSchema,
          { orderId, amount: refunded.amount ?? amount, refundId: refunded.refundId as string },
          meta(),
        ),
      );
      return "Refunded";
    }
    await reply(replyTo(command, PaymentVoidedSchema, { orderId }, meta()));
    return voided?.outcome === "voided" ? "Voided" : "NothingToVoid";
  }

  return async function handlePaymentMessage(message: ReceivedMessage): Promise<void> {
    const command = parseReceived(PaymentCommandSchema, message);
    await logStep(message.log, now, command, () => {
      switch (command.type) {
        case "AuthorizePayment":
          return authorize(command);
        case "CapturePayment":
          return capture(command);
        case "VoidPayment":
        case "RefundPayment":
          return compensate(command);
      }
    });
  };
}
