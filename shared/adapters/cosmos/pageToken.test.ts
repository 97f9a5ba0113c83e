import { InvalidContinuationTokenError } from "../../ports";
import { decodePageToken, encodePageToken } from "./pageToken";

describe("page tokens", () => {
  it("round-trips the sort key", () => {
    const key = "2026-01-01T00:00:00.000Z|0b6c…";
    expect(decodePageToken(encodePageToken(key))).toBe(key);
  });

  it.each([
    ["empty", ""],
    ["not base64url", "abc+/="],
    ["not JSON", Buffer.from("nope").toString("base64url")],
    ["another version", Buffer.from('{"v":2,"after":"x"}').toString("base64url")],
    ["extra fields", Buffer.from('{"v":1,"after":"x","top":1}').toString("base64url")],
    ["an empty key", Buffer.from('{"v":1,"after":""}').toString("base64url")],
    ["a non-canonical encoding", `${encodePageToken("x")}A`],
    ["the SDK's own format", '{"token":"+RID:~abc","range":{"min":"","max":"FF"}}'],
    ["too long", "A".repeat(2000)],
  ])("refuses %s", (_, token) => {
    expect(() => decodePageToken(token)).toThrow(InvalidContinuationTokenError);
  });
});
