import type { z } from "zod";
import { MESSAGE_TYPES } from "./messageTypes";
import type { MessageType } from "./messageTypes";
import {
  InventoryCommandSchema,
  MESSAGE_SCHEMAS,
  NotificationCommandSchema,
  OrderEventSchema,
  PaymentCommandSchema,
  SagaReplySchema,
} from "./unions";
import { paymentIdempotencyKey } from "./payloads";
import { notificationIdempotencyKey } from "./sendNotification";
import { CancelRequestedSchema } from "./cancelRequested";
import { ORDER_ID, VALID_PAYLOADS, anEnvelope } from "../testing/messageBuilders";

const ALL_TYPES = Object.values(MESSAGE_TYPES);

function issuePaths(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join("."));
}

/** One broken payload per message type, and the field the error must name. */
const INVALID: Record<MessageType, [string, (data: Record<string, unknown>) => unknown, string]> = {
  ReserveInventory: ["no lines", (d) => ({ ...d, lines: [] }), "data.lines"],
  ReleaseInventory: ["an empty orderId", (d) => ({ ...d, orderId: "" }), "data.orderId"],
  CommitInventory: ["no orderId", () => ({}), "data.orderId"],
  ShipInventory: ["a null orderId", () => ({ orderId: null }), "data.orderId"],
  InventoryReserved: ["a numeric orderId", () => ({ orderId: 7 }), "data.orderId"],
  InventoryRejected: [
    "a negative available count",
    (d) => ({ ...d, shortLines: [{ sku: "SKU-0001", requested: 2, available: -1 }] }),
    "data.shortLines.0.available",
  ],
  InventoryReleased: ["no orderId", () => ({}), "data.orderId"],
  InventoryCommitted: ["no orderId", () => ({}), "data.orderId"],
  InventoryShipped: ["an empty orderId", () => ({ orderId: "" }), "data.orderId"],
  AuthorizePayment: [
    "another operation's key",
    (d) => ({ ...d, idempotencyKey: paymentIdempotencyKey(ORDER_ID, "capture") }),
    "data.idempotencyKey",
  ],
  CapturePayment: [
    "a float amount",
    (d) => ({ ...d, amount: { amount: 25.98, currency: "USD" } }),
    "data.amount.amount",
  ],
  VoidPayment: [
    "a key of another order",
    (d) => ({ ...d, idempotencyKey: paymentIdempotencyKey("order-2", "void") }),
    "data.idempotencyKey",
  ],
  RefundPayment: ["no amount", (d) => ({ ...d, amount: undefined }), "data.amount"],
  PaymentAuthorized: [
    "no authorizationId",
    (d) => ({ ...d, authorizationId: "" }),
    "data.authorizationId",
  ],
  PaymentDeclined: ["an unknown reason", (d) => ({ ...d, reason: "Nope" }), "data.reason"],
  PaymentCaptured: ["no captureId", (d) => ({ ...d, captureId: undefined }), "data.captureId"],
  PaymentVoided: ["no orderId", () => ({}), "data.orderId"],
  PaymentRefunded: ["no refundId", (d) => ({ ...d, refundId: undefined }), "data.refundId"],
  SendNotification: [
    "a bad recipient",
    (d) => ({ ...d, recipient: "not-an-email" }),
    "data.recipient",
  ],
  OrderPlaced: ["no lines", (d) => ({ ...d, items: [] }), "data.items"],
  OrderConfirmed: [
    "a lower-case currency",
    (d) => ({ ...d, total: { amount: 1, currency: "usd" } }),
    "data.total.currency",
  ],
  OrderCancelled: ["a failure reason", (d) => ({ ...d, reason: "OutOfStock" }), "data.reason"],
  OrderFailed: [
    "a cancellation reason",
    (d) => ({ ...d, reason: "CancelledByCustomer" }),
    "data.reason",
  ],
  OrderShipped: ["no customerId", (d) => ({ ...d, customerId: undefined }), "data.customerId"],
  OrderDelivered: ["no customerId", (d) => ({ ...d, customerId: "" }), "data.customerId"],
};

describe.each(ALL_TYPES)("%s", (type) => {
  const schema = MESSAGE_SCHEMAS[type];

  it("accepts a valid envelope", () => {
    expect(schema.parse(anEnvelope(type))).toMatchObject({ type, subject: ORDER_ID });
  });

  it(`rejects ${INVALID[type][0]} with a field-level issue`, () => {
    const [, corrupt, path] = INVALID[type];
    expect(
      issuePaths(
        schema,
        anEnvelope(type, corrupt(VALID_PAYLOADS[type]()) as Record<string, unknown>),
      ),
    ).toContain(path);
  });

  it("rejects another message type", () => {
    const other = ALL_TYPES.find((candidate) => candidate !== type) as MessageType;
    expect(issuePaths(schema, { ...anEnvelope(type), type: other })).toContain("type");
  });

  it("rejects a subject that is not the payload's orderId", () => {
    expect(issuePaths(schema, { ...anEnvelope(type), subject: "order-2" })).toEqual(["subject"]);
  });
});

describe("SendNotification templates", () => {
  const base = { orderId: ORDER_ID, recipient: "ada@example.com" };
  const usd = { amount: 100, currency: "USD" };

  it.each([
    { ...base, template: "OrderCancelled", reason: "CancelledByOperator", refund: usd },
    { ...base, template: "OrderFailed", reason: "PaymentTimeout" },
    { ...base, template: "OrderShipped" },
    { ...base, template: "OrderDelivered", customerName: "Ada" },
  ])("accepts $template", (data) => {
    expect(
      MESSAGE_SCHEMAS.SendNotification.safeParse(anEnvelope("SendNotification", data)).success,
    ).toBe(true);
  });

  it("rejects an unknown template at data.template", () => {
    expect(
      issuePaths(
        MESSAGE_SCHEMAS.SendNotification,
        anEnvelope("SendNotification", { ...base, template: "Hello" }),
      ),
    ).toEqual(["data.template"]);
  });

  it("rejects a template without what it needs", () => {
    expect(
      issuePaths(
        MESSAGE_SCHEMAS.SendNotification,
        anEnvelope("SendNotification", { ...base, template: "OrderFailed" }),
      ),
    ).toEqual(["data.reason"]);
  });

  it("keys an email per order and template", () => {
    expect(notificationIdempotencyKey(ORDER_ID, "OrderShipped")).toBe("order-1:OrderShipped");
  });
});

describe("unions", () => {
  const members: [string, z.ZodType, readonly MessageType[]][] = [
    [
      "inventory commands",
      InventoryCommandSchema,
      ["ReserveInventory", "ReleaseInventory", "CommitInventory", "ShipInventory"],
    ],
    [
      "payment commands",
      PaymentCommandSchema,
      ["AuthorizePayment", "CapturePayment", "VoidPayment", "RefundPayment"],
    ],
    ["notification commands", NotificationCommandSchema, ["SendNotification"]],
    [
      "saga replies",
      SagaReplySchema,
      [
        "InventoryReserved",
        "InventoryRejected",
        "InventoryReleased",
        "InventoryCommitted",
        "InventoryShipped",
        "PaymentAuthorized",
        "PaymentDeclined",
        "PaymentCaptured",
        "PaymentVoided",
        "PaymentRefunded",
      ],
    ],
    [
      "order events",
      OrderEventSchema,
      [
        "OrderPlaced",
        "OrderConfirmed",
        "OrderCancelled",
        "OrderFailed",
        "OrderShipped",
        "OrderDelivered",
      ],
    ],
  ];

  it.each(members)("%s accept exactly their members", (_name, union, accepted) => {
    for (const type of ALL_TYPES) {
      expect([type, union.safeParse(anEnvelope(type)).success]).toEqual([
        type,
        accepted.includes(type),
      ]);
    }
  });

  it("puts every message type in exactly one union", () => {
    const all = members.flatMap(([, , accepted]) => accepted);
    expect([...all].sort()).toEqual([...ALL_TYPES].sort());
  });

  it("names the discriminator when the type is unknown", () => {
    expect(issuePaths(SagaReplySchema, { ...anEnvelope("PaymentVoided"), type: "Bogus" })).toEqual([
      "type",
    ]);
  });
});

describe("CancelRequested", () => {
  it("accepts a reason and time, rejects a failure reason", () => {
    const valid = { reason: "CancelledByCustomer", requestedAt: "2026-01-01T10:00:00.000Z" };
    expect(CancelRequestedSchema.parse(valid)).toEqual(valid);
    expect(issuePaths(CancelRequestedSchema, { ...valid, reason: "OutOfStock" })).toEqual([
      "reason",
    ]);
  });
});
