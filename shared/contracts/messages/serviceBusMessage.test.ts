import { fromServiceBusMessage, parseMessageBody, toServiceBusMessage } from "./serviceBusMessage";
import { InventoryRejectedSchema } from "./inventoryRejected";
import { SagaReplySchema } from "./unions";
import { ORDER_ID, TRACEPARENT, anEnvelope } from "../testing/messageBuilders";

const envelope = InventoryRejectedSchema.parse(anEnvelope("InventoryRejected"));

describe("toServiceBusMessage", () => {
  it("maps id, orderId and type onto the broker properties", () => {
    expect(toServiceBusMessage(envelope)).toEqual({
      body: envelope,
      messageId: "msg-1",
      correlationId: ORDER_ID,
      subject: "InventoryRejected",
      contentType: "application/json",
      applicationProperties: { type: "InventoryRejected" },
    });
  });

  it("copies the traceparent into the application properties, Diagnostic-Id included", () => {
    const traced = { ...envelope, traceparent: TRACEPARENT };
    expect(toServiceBusMessage(traced).applicationProperties).toEqual({
      type: "InventoryRejected",
      "Diagnostic-Id": TRACEPARENT,
      traceparent: TRACEPARENT,
    });
  });
});

describe("parseMessageBody", () => {
  it.each([
    ["an object", envelope],
    ["JSON text", JSON.stringify(envelope)],
    ["JSON bytes", Buffer.from(JSON.stringify(envelope))],
  ])("reads %s", (_label, body) => {
    expect(parseMessageBody(SagaReplySchema, body)).toEqual({ ok: true, message: envelope });
  });

  it("explains a body that is not JSON", () => {
    const result = parseMessageBody(SagaReplySchema, "{nope");
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/^body is not JSON/) });
  });

  it("names the failing fields", () => {
    const broken = { ...envelope, data: { orderId: ORDER_ID, shortLines: [] } };
    expect(parseMessageBody(InventoryRejectedSchema, broken)).toEqual({
      ok: false,
      reason: expect.stringContaining("data.shortLines"),
    });
  });
});

describe("fromServiceBusMessage", () => {
  it("round-trips what toServiceBusMessage produced", () => {
    expect(fromServiceBusMessage(SagaReplySchema, toServiceBusMessage(envelope))).toEqual({
      ok: true,
      message: envelope,
    });
  });

  it("refuses a messageId that is not the envelope id", () => {
    const message = { ...toServiceBusMessage(envelope), messageId: "other" };
    expect(fromServiceBusMessage(SagaReplySchema, message)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("differs from envelope id"),
    });
  });
});
