import { CosmosPaymentRecords } from "../../../adapters/cosmos/cosmosPaymentRecords";
import {
  DEFAULT_RESILIENCE,
  createResilientGateway,
} from "../../../adapters/payment/resilientGateway";
import { createSimulatedGateway } from "../../../adapters/payment/simulatedGateway";
import { createSettingsSecretProvider } from "../../../adapters/secrets/settingsSecretProvider";
import { AuthorizePaymentSchema } from "../../../contracts/messages/authorizePayment";
import { CapturePaymentSchema } from "../../../contracts/messages/capturePayment";
import { paymentIdempotencyKey } from "../../../contracts/messages/payloads";
import { RefundPaymentSchema } from "../../../contracts/messages/refundPayment";
import { VoidPaymentSchema } from "../../../contracts/messages/voidPayment";
import { paymentRecordId, type PaymentDocument, type PaymentGateway } from "../../../ports";
import type { WorkerTestbed } from "../../testing/workerTestbed";
import { aCommand, recordingPublisher } from "../../testing/workerTestbed";
import type { ReceivedMessage } from "../../receivedMessage";
import { createPaymentHandler, type PaymentHandlerDeps } from "../createPaymentHandler";

/**
 * The payment handler over the worker testbed's Cosmos ledger: commands as the saga sends
 * them, a handler that counts its gateway calls, and handlers that stop at a chosen point so
 * a concurrent command can land in between.
 */

export const total = { amount: 2598, currency: "USD" };

const SECRET = "payment-gateway-api-key";

/** Everything but the gateway and the records, as every payment test wires it. */
function commonDeps(
  publisher: PaymentHandlerDeps["publisher"],
  apiKey = "k",
): Omit<PaymentHandlerDeps, "gateway" | "records"> {
  return {
    secrets: createSettingsSecretProvider({ [SECRET]: apiKey }),
    apiKeySecretName: SECRET,
    publisher,
    now: () => new Date("2026-01-01T00:00:05Z"),
  };
}

export function paymentSetup(bed: WorkerTestbed, apiKey = "local-placeholder") {
  const publisher = recordingPublisher();
  const inner = createSimulatedGateway();
  let gatewayCalls = 0;
  const counting: PaymentGateway = {
    authorize: (...a) => (gatewayCalls++, inner.authorize(...a)),
    capture: (...a) => (gatewayCalls++, inner.capture(...a)),
    void: (...a) => (gatewayCalls++, inner.void(...a)),
    refund: (...a) => (gatewayCalls++, inner.refund(...a)),
  };
  const gateway = createResilientGateway(counting, {
    ...DEFAULT_RESILIENCE,
    timeoutInMs: 50,
    now: Date.now,
    sleep: () => Promise.resolve(),
  });
  const handle = createPaymentHandler({
    gateway,
    records: new CosmosPaymentRecords(bed.ledger),
    ...commonDeps(publisher, apiKey),
  });
  return {
    handle,
    publisher,
    replies: () => publisher.sent.map((s) => s.envelope.type),
    calls: () => gatewayCalls,
  };
}

type Publisher = ReturnType<typeof recordingPublisher>;

/** A promise to hold a call at, and the hooks that say it got there and let it go on. */
function aGate() {
  let release: () => void = () => undefined;
  let entered: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const reached = new Promise<void>((resolve) => (entered = resolve));
  return { gate, reached, entered: () => entered(), release: () => release() };
}

/**
 * A payment handler whose first void has read the record and stops just before writing its
 * decision, until released: a concurrent command can then land in between.
 */
export function voidPausedBeforeItsWrite(bed: WorkerTestbed, publisher: Publisher): PausedHandler {
  const { gate, reached, entered, release } = aGate();
  class GatedRecords extends CosmosPaymentRecords {
    private gated = true;
    override async record(...args: Parameters<CosmosPaymentRecords["record"]>) {
      if (args[1] === "void" && this.gated) {
        this.gated = false;
        entered();
        await gate;
      }
      return super.record(...args);
    }
  }
  const handle = createPaymentHandler({
    gateway: createSimulatedGateway(),
    records: new GatedRecords(bed.ledger),
    ...commonDeps(publisher),
  });
  return { handle, reached, release };
}

/** A payment handler whose gateway holds `operation` until released (a slow gateway). */
export function pausedAtGateway(
  bed: WorkerTestbed,
  publisher: Publisher,
  operation: "authorize" | "capture",
): PausedHandler {
  const { gate, reached, entered, release } = aGate();
  const simulated = createSimulatedGateway();
  const held: PaymentGateway = {
    ...simulated,
    [operation]: async (request: never) => {
      entered();
      await gate;
      return createSimulatedGateway()[operation](request);
    },
  };
  const handle = createPaymentHandler({
    gateway: held,
    records: new CosmosPaymentRecords(bed.ledger),
    ...commonDeps(publisher),
  });
  return { handle, reached, release };
}

/** A payment handler that stops at a chosen point until released. */
export interface PausedHandler {
  handle(message: ReceivedMessage): Promise<void>;
  /** Resolves when the handler has reached its pause. */
  readonly reached: Promise<void>;
  release(): void;
}

/**
 * Runs `message` on the paused handler up to its pause, runs `meanwhile` to the end, then
 * lets the paused one finish: the interleaving a redelivery racing the saga's timer makes.
 */
export async function interleave(
  paused: PausedHandler,
  message: ReceivedMessage,
  meanwhile: () => Promise<void>,
): Promise<void> {
  const first = paused.handle(message);
  await paused.reached;
  await meanwhile();
  paused.release();
  await first;
}

/** Fresh order ids, `<prefix>-1`, `<prefix>-2`, …: each test works on its own order. */
export function orderIds(prefix: string): () => string {
  let seq = 0;
  return () => `${prefix}-${++seq}`;
}

export const authorize = (orderId: string, token: string) =>
  aCommand(AuthorizePaymentSchema, {
    orderId,
    idempotencyKey: paymentIdempotencyKey(orderId, "authorize"),
    amount: total,
    token,
  });
export const capture = (orderId: string) =>
  aCommand(CapturePaymentSchema, {
    orderId,
    idempotencyKey: paymentIdempotencyKey(orderId, "capture"),
    amount: total,
  });
export const voidIt = (orderId: string) =>
  aCommand(VoidPaymentSchema, {
    orderId,
    idempotencyKey: paymentIdempotencyKey(orderId, "void"),
    amount: total,
  });
export const refund = (orderId: string) =>
  aCommand(RefundPaymentSchema, {
    orderId,
    idempotencyKey: paymentIdempotencyKey(orderId, "refund"),
    amount: total,
  });

/** The payment record's operations as stored. */
export async function ledgerOf(
  bed: WorkerTestbed,
  orderId: string,
): Promise<PaymentDocument["operations"]> {
  const { resource } = await bed.ledger
    .item(paymentRecordId(orderId), orderId)
    .read<PaymentDocument>();
  return resource?.operations ?? {};
}
