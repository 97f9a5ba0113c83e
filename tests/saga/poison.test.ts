import { ServiceBusClient } from "@azure/service-bus";
import { anItem } from "../../shared/contracts/testing/httpBuilders";
import { CONNECTIONS, QUEUES } from "../../shared/config/names";
import { hasStatus } from "../support/apiClient";
import { type SagaStack, expectInvariants, startSagaStack } from "./sagaStack";

let stack: SagaStack;
let serviceBus: ServiceBusClient;
beforeAll(async () => {
  stack = await startSagaStack();
  serviceBus = new ServiceBusClient(stack.settings[CONNECTIONS.serviceBus] as string);
}, 120_000);
afterAll(async () => {
  await serviceBus?.close();
  await stack?.stop();
});

async function deadLetters(queue: string, count: number) {
  const receiver = serviceBus.createReceiver(queue, { subQueueType: "deadLetter" });
  try {
    const got = [];
    const deadline = Date.now() + 30_000;
    while (got.length < count && Date.now() < deadline) {
      got.push(...(await receiver.receiveMessages(count - got.length, { maxWaitTimeInMs: 1000 })));
    }
    for (const message of got) await receiver.completeMessage(message);
    return got;
  } finally {
    await receiver.close();
  }
}

describe("poison messages on the local stack", () => {
  it.each([QUEUES.inventory, QUEUES.payments, QUEUES.notifications, QUEUES.sagaReplies])(
    "dead-letters an invalid message on %s at once, with the reason",
    async (queue) => {
      const sender = serviceBus.createSender(queue);
      await sender.sendMessages({
        messageId: `poison-${queue}`,
        body: { specversion: "1.0", type: "Nonsense" },
      });
      await sender.close();
      const [dead] = await deadLetters(queue, 1);
      expect(dead?.messageId).toBe(`poison-${queue}`);
      expect(dead?.deadLetterReason).toBe("InvalidMessage");
      expect(dead?.deadLetterErrorDescription).toContain("invalid message");
      expect(dead?.deliveryCount).toBeLessThanOrEqual(1);
    },
    60_000,
  );

  it("dead-letters an email whose address the service rejects, and the order still confirms", async () => {
    await stack.api.setStock("SKU-0030", 5);
    const order = await stack.api.placeOrder("poison-email", {
      email: "ada@nowhere.invalid",
      items: [anItem({ sku: "SKU-0030", quantity: 1 })],
    });
    await stack.api.waitForOrder(order, hasStatus("Confirmed"));
    const [dead] = await deadLetters(QUEUES.notifications, 1);
    expect(dead?.deadLetterReason).toBe("RecipientRejected");
    expect(dead?.deadLetterErrorDescription).toContain("ada@nowhere.invalid");
    await expectInvariants(stack, [order.orderId]);
  }, 60_000);
});
