import { sagaGoesOn, type UpdateOrderStatusOutput } from "../activityMap";
import { SAGA_ACTIVITIES, SAGA_REPLIES } from "../names";
import { orderSaga } from "../orderSaga";
import type { SagaInput } from "../sagaTypes";
import { FakeOrchestration } from "./fakeOrchestration";

/**
 * Runs the order saga on the in-memory orchestration, with participants that answer every
 * command (or as a test says), and reads back what it did.
 */

export type Replies = Partial<Record<string, string | null>>;

/** Default participant answers: every command succeeds. */
export const HAPPY_REPLIES: Readonly<Record<string, string>> = {
  ReserveInventory: SAGA_REPLIES.inventoryReserved,
  AuthorizePayment: SAGA_REPLIES.paymentAuthorized,
  CapturePayment: SAGA_REPLIES.paymentCaptured,
  CommitInventory: SAGA_REPLIES.inventoryCommitted,
  ShipInventory: SAGA_REPLIES.inventoryShipped,
  ReleaseInventory: SAGA_REPLIES.inventoryReleased,
  VoidPayment: SAGA_REPLIES.paymentVoided,
  RefundPayment: SAGA_REPLIES.paymentRefunded,
};

export function aSagaInput(overrides: Partial<SagaInput> = {}): SagaInput {
  return {
    orderId: "order-1",
    customerId: "cust-1",
    email: "ada@example.com",
    items: [
      {
        sku: "SKU-0001",
        name: "Teapot",
        quantity: 2,
        unitPrice: { amount: 1299, currency: "USD" },
        lineTotal: { amount: 2598, currency: "USD" },
      },
    ],
    total: { amount: 2598, currency: "USD" },
    trace: { orderId: "order-1", correlationId: "corr-1", causationId: "evt-1" },
    timeouts: { inventorySeconds: 15, paymentSeconds: 15 },
    ...overrides,
  };
}

/** Runs the saga; `replies` overrides a command's answer (null = never answers). */
export function runSaga(
  replies: Replies = {},
  input = aSagaInput(),
  orderStatus: (status: string) => unknown = (status) => ({
    applied: true,
    status,
    failureReason: null,
  }),
): FakeOrchestration {
  const answer = (type: string, fake: FakeOrchestration) => {
    const reply = type in replies ? replies[type] : HAPPY_REPLIES[type];
    if (reply) fake.enqueue(reply, { orderId: input.orderId });
  };
  const saga = new FakeOrchestration(input, (name, activityInput, fake) =>
    participants(name, activityInput, fake, answer, orderStatus),
  );
  return saga.start(orderSaga);
}

/**
 * The activities as the participants see them: a sent command is answered (`answer`), a
 * status write answers `orderStatus` and, unless it found the order Cancelling, sends its
 * follow-up commands as the real activity does.
 */
export function participants(
  name: string,
  activityInput: unknown,
  fake: FakeOrchestration,
  answer: (commandType: string, fake: FakeOrchestration) => void,
  orderStatus: (status: string) => unknown = (status) => ({
    applied: true,
    status,
    failureReason: null,
  }),
): unknown {
  if (name === SAGA_ACTIVITIES.sendCommand) {
    answer((activityInput as { command: { type: string } }).command.type, fake);
    return { messageId: "m" };
  }
  if (name === SAGA_ACTIVITIES.updateOrderStatus) {
    const write = activityInput as { status: string; then?: { type: string }[] };
    const result = orderStatus(write.status) as UpdateOrderStatusOutput;
    if (sagaGoesOn(result)) for (const command of write.then ?? []) answer(command.type, fake);
    return result;
  }
  return { messageId: "e" };
}

export function published(saga: FakeOrchestration): string[] {
  return saga.calls
    .filter((c) => c.name === SAGA_ACTIVITIES.publishEvent)
    .map((c) => (c.input as { event: { type: string } }).event.type);
}

export function templates(saga: FakeOrchestration): string[] {
  return saga
    .commands()
    .filter((c) => c.type === "SendNotification")
    .map((c) => c.data.template as string);
}
