import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { ServiceBusClient } from "@azure/service-bus";
import { anItem } from "../../shared/contracts/testing/httpBuilders";
import { CONNECTIONS, COSMOS_CONTAINERS, QUEUES } from "../../shared/config/names";
import { notificationClaimId } from "../../shared/ports/notificationClaims";
import { admin, hasStatus } from "../support/apiClient";
import { orderTrace } from "../../tools/trace/orderTrace";
import { readSpanFile } from "../../tools/trace/spanFile";
import type { TestStack } from "../support/testStack";
import { waitFor } from "../support/waitFor";
import { expectInvariants, startSagaStack, stepLines, waitForEmails } from "./sagaStack";

/**
 * SMS through the whole local stack: HTTP in, `.sms` files out beside the `.eml` files, and
 * the notifications queue's dead-letter queue for a number the (local) service refuses.
 */
const SENDER = "+447700900000";
const PHONE = "+447700900123";
/** In the fictional 555-01XX range the local SMS adapter refuses (smsFileSender.ts). */
const REFUSED = "+14255550123";

let stack: TestStack;
let serviceBus: ServiceBusClient;
beforeAll(async () => {
  stack = await startSagaStack({ settings: { SMS_SENDER_NUMBER: SENDER } });
  serviceBus = new ServiceBusClient(stack.settings[CONNECTIONS.serviceBus] as string);
}, 120_000);
afterAll(async () => {
  await serviceBus?.close();
  await stack?.stop();
});

async function smsFiles(orderId: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const file of await readdir(stack.outbox)) {
    if (file.startsWith(`${orderId}_`) && file.endsWith(".sms"))
      out[file.slice(orderId.length + 1, -4)] = await readFile(
        path.join(stack.outbox, file),
        "utf8",
      );
  }
  return out;
}

async function waitForSms(orderId: string, templates: string[]): Promise<Record<string, string>> {
  let have: string[] = [];
  return waitFor(
    async () => {
      const files = await smsFiles(orderId);
      have = Object.keys(files);
      return templates.every((t) => t in files) ? files : undefined;
    },
    {
      timeoutMs: 30_000,
      intervalMs: 100,
      what: () => `SMS of ${orderId}: have ${have.join(",")}, want ${templates.join(",")}`,
    },
  );
}

describe("SMS on the local stack", () => {
  it("texts an order's phone once per lifecycle message, beside its emails", async () => {
    await stack.api.setStock("SKU-0040", 5);
    const order = await stack.api.placeOrder("sms-1", {
      phone: PHONE,
      items: [anItem({ sku: "SKU-0040", quantity: 1 })],
    });
    const confirmed = await stack.api.waitForOrder(order, hasStatus("Confirmed"));
    expect(confirmed.phone).toBe(PHONE);
    for (const [step, reached] of [
      ["ship", "Shipped"],
      ["deliver", "Delivered"],
    ] as const) {
      const answer = await stack.api.call(`/orders/${order.orderId}/${step}`, {
        method: "POST",
        ...admin,
      });
      expect(answer.status).toBe(202);
      await stack.api.waitForOrder(order, hasStatus(reached));
    }
    const templates = ["OrderConfirmed", "OrderShipped", "OrderDelivered"];
    const texts = await waitForSms(order.orderId, templates);
    await waitForEmails(stack, order.orderId, templates);

    expect(Object.keys(texts).sort()).toEqual([...templates].sort());
    expect(texts.OrderConfirmed).toMatch(
      new RegExp(
        `^From: \\${SENDER}\nTo: \\${PHONE}\n[^]*\n\nOrder Processing: Your order ${order.orderId} is confirmed\\. Total \\$`,
      ),
    );
    expect(texts.OrderShipped).toContain(`Your order ${order.orderId} has shipped.`);
    expect(texts.OrderDelivered).toContain(`Your order ${order.orderId} was delivered.`);

    // Once each: one sent claim per template, and each SMS step sent exactly once.
    const ledger = stack.database().container(COSMOS_CONTAINERS.ledger.id);
    for (const template of templates) {
      const { resource } = await ledger
        .item(notificationClaimId(order.orderId, template, "sms"), order.orderId)
        .read<{ state: string; recipient: string }>();
      expect({ template, ...resource }).toMatchObject({
        template,
        state: "sent",
        recipient: PHONE,
      });
    }
    const sent = stepLines(stack)
      .filter(
        (l) => l.fields.orderId === order.orderId && String(l.fields.step).startsWith("NotifySms:"),
      )
      .filter((l) => l.fields.outcome === "Sent")
      .map((l) => l.fields.step)
      .sort();
    expect(sent).toEqual(templates.map((t) => `NotifySms:${t}`).sort());
    await expectInvariants(stack, [order.orderId]);

    // Each text is a client span in the order's one trace, as each email is.
    const smsSpans = await waitFor(
      () => {
        const found = orderTrace(readSpanFile(stack.tracesFile), order.orderId).spans.filter(
          (span) => span.name === "send sms",
        );
        return found.length === templates.length ? found : undefined;
      },
      { timeoutMs: 30_000, what: `three "send sms" spans of ${order.orderId}` },
    );
    expect(smsSpans.map((span) => span.attributes["saga.step"]).sort()).toEqual(
      templates.map((t) => `Notify:${t}`).sort(),
    );
  }, 120_000);

  it("dead-letters a number the service refuses, with the reason; the email still goes", async () => {
    await stack.api.setStock("SKU-0041", 5);
    const order = await stack.api.placeOrder("sms-2", {
      phone: REFUSED,
      items: [anItem({ sku: "SKU-0041", quantity: 1 })],
    });
    await stack.api.waitForOrder(order, hasStatus("Confirmed"));
    const receiver = serviceBus.createReceiver(QUEUES.notifications, {
      subQueueType: "deadLetter",
    });
    try {
      const dead = await waitFor(
        async () => {
          const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 1000 });
          if (message === undefined) return undefined;
          await receiver.completeMessage(message);
          return message;
        },
        { timeoutMs: 30_000, intervalMs: 100, what: "a dead-lettered notification" },
      );
      expect(dead.deadLetterReason).toBe("SmsRecipientRejected");
      expect(dead.deadLetterErrorDescription).toContain(REFUSED);
      expect(dead.deadLetterErrorDescription).toContain("400");
      expect((dead.body as { data: { orderId: string } }).data.orderId).toBe(order.orderId);
    } finally {
      await receiver.close();
    }
    await waitForEmails(stack, order.orderId, ["OrderConfirmed"]);
    expect(await smsFiles(order.orderId)).toEqual({});
    await expectInvariants(stack, [order.orderId]);
  }, 120_000);
});
