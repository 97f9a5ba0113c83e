import { InvalidContinuationTokenError } from "../../ports";
import { decodePageToken, encodePageToken } from "./pageToken";

const raw = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");
const ORDER_KEY = "2026-01-01T00:00:00.000Z|0b6c4f7e-9a51-4f43-8d1e-2c7c1b1f0a11";

describe("page tokens", () => {
  it("round-trips an orders sort key", () => {
    expect(decodePageToken("orders", encodePageToken("orders", ORDER_KEY))).toBe(ORDER_KEY);
  });

  it("round-trips a products SKU", () => {
    expect(decodePageToken("products", encodePageToken("products", "SKU-001"))).toBe("SKU-001");
  });

  it.each([
    ["empty", ""],
    ["not base64url", "abc+/="],
    ["not JSON", Buffer.from("nope").toString("base64url")],
    ["another version", raw({ v: 2, k: "orders", after: ORDER_KEY })],
    ["extra fields", raw({ v: 1, k: "orders", after: ORDER_KEY, top: 1 })],
    ["no kind (the old shape)", raw({ v: 1, after: "x" })],
    ["an empty key", raw({ v: 1, k: "orders", after: "" })],
    ["a products token", encodePageToken("products", "SKU-001")],
    ["a key that is not createdAt|orderId", raw({ v: 1, k: "orders", after: "x" })],
    ["a key with a bad timestamp", raw({ v: 1, k: "orders", after: "yesterday|abc" })],
    ["a key with no order id", raw({ v: 1, k: "orders", after: "2026-01-01T00:00:00.000Z|" })],
    ["a non-canonical encoding", `${encodePageToken("orders", ORDER_KEY)}A`],
    ["the SDK's own format", '{"token":"+RID:~abc","range":{"min":"","max":"FF"}}'],
    ["too long", "A".repeat(2000)],
  ])("refuses for the orders list %s", (_, token) => {
    expect(() => decodePageToken("orders", token)).toThrow(InvalidContinuationTokenError);
  });

  it.each([
    ["an orders token", encodePageToken("orders", ORDER_KEY)],
    ["a key that is not a SKU", raw({ v: 1, k: "products", after: "a b/c" })],
    ["no kind (the old shape)", raw({ v: 1, after: "SKU-001" })],
  ])("refuses for the products list %s", (_, token) => {
    expect(() => decodePageToken("products", token)).toThrow(InvalidContinuationTokenError);
  });
});
