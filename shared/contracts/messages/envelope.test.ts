import { CloudEventAttributesSchema, causedBy, newEnvelope } from "./envelope";
import { ReserveInventorySchema } from "./reserveInventory";
import { PaymentDeclinedSchema } from "./paymentDeclined";
import {
  ORDER_ID,
  TRACEPARENT,
  VALID_PAYLOADS,
  anEnvelope,
  anEnvelopeMeta,
} from "../testing/messageBuilders";

describe("newEnvelope", () => {
  it("fills the CloudEvents attributes from the schema, the meta and the payload", () => {
    const data = { orderId: ORDER_ID, lines: [{ sku: "SKU-0001", quantity: 2 }] };
    expect(newEnvelope(ReserveInventorySchema, anEnvelopeMeta(), data)).toEqual({
      specversion: "1.0",
      id: "msg-1",
      type: "ReserveInventory",
      source: "/order-processing/saga",
      subject: ORDER_ID,
      time: "2026-01-01T10:00:00.000Z",
      datacontenttype: "application/json",
      correlationid: "msg-0",
      causationid: "msg-0",
      data,
    });
  });

  it("takes the time as given, as text too", () => {
    const envelope = newEnvelope(
      ReserveInventorySchema,
      anEnvelopeMeta({ time: "2026-02-03T04:05:06.000Z" }),
      { orderId: ORDER_ID, lines: [{ sku: "SKU-0001", quantity: 1 }] },
    );
    expect(envelope.time).toBe("2026-02-03T04:05:06.000Z");
  });

  it("carries a traceparent when given one", () => {
    const envelope = newEnvelope(
      PaymentDeclinedSchema,
      anEnvelopeMeta({ traceparent: TRACEPARENT }),
      { orderId: ORDER_ID, operation: "authorize", reason: "PaymentDeclined" },
    );
    expect(envelope.traceparent).toBe(TRACEPARENT);
  });

  it("refuses to build an invalid message", () => {
    expect(() =>
      newEnvelope(ReserveInventorySchema, anEnvelopeMeta(), { orderId: ORDER_ID, lines: [] }),
    ).toThrow(/lines/);
    expect(() =>
      newEnvelope(ReserveInventorySchema, anEnvelopeMeta({ id: "" }), {
        orderId: ORDER_ID,
        lines: [{ sku: "SKU-0001", quantity: 1 }],
      }),
    ).toThrow(/id/);
  });
});

describe("causedBy", () => {
  it("keeps the correlation and trace, and points at the cause", () => {
    const cause = { id: "cause-7", correlationid: "flow-1", traceparent: TRACEPARENT };
    expect(causedBy(cause)).toEqual({
      correlationid: "flow-1",
      causationid: "cause-7",
      traceparent: TRACEPARENT,
    });
    expect(causedBy({ id: "c", correlationid: "f" })).toEqual({
      correlationid: "f",
      causationid: "c",
    });
  });
});

describe("CloudEventAttributesSchema", () => {
  const valid = anEnvelope("InventoryReserved", VALID_PAYLOADS.InventoryReserved());

  it("accepts a valid envelope", () => {
    expect(CloudEventAttributesSchema.safeParse(valid).success).toBe(true);
  });

  it.each([
    ["specversion", { specversion: "0.3" }],
    ["time", { time: "yesterday" }],
    ["datacontenttype", { datacontenttype: "text/plain" }],
    ["traceparent", { traceparent: "not-a-trace" }],
    ["id", { id: "x".repeat(129) }],
    ["correlationid", { correlationid: undefined }],
    ["causationid", { causationid: "" }],
    ["source", { source: "" }],
  ])("rejects a bad %s", (path, change) => {
    const result = CloudEventAttributesSchema.safeParse({ ...valid, ...change });
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toEqual([path]);
  });
});
