import { CustomerIdSchema, IdempotencyKeySchema, RolesHeaderSchema, hasAdminRole } from "./common";

describe("IdempotencyKeySchema", () => {
  it.each(["a", "x".repeat(100), "order 42 / retry #1", "~!@#$%^&*()"])("accepts %p", (key) => {
    expect(IdempotencyKeySchema.safeParse(key).success).toBe(true);
  });

  it.each(["", "x".repeat(101), "tab\there", "new\nline", "café"])("rejects %p", (key) => {
    expect(IdempotencyKeySchema.safeParse(key).error?.issues[0]?.message).toBe(
      "must be 1 to 100 printable ASCII characters",
    );
  });
});

describe("CustomerIdSchema", () => {
  it("trims and requires a value", () => {
    expect(CustomerIdSchema.parse(" c-1 ")).toBe("c-1");
    expect(CustomerIdSchema.safeParse("  ").success).toBe(false);
  });
});

describe("X-Roles", () => {
  it("splits comma-separated roles and drops blanks", () => {
    expect(RolesHeaderSchema.parse(" admin, ,reader ")).toEqual(["admin", "reader"]);
  });

  it.each([
    ["admin", true],
    ["reader,admin", true],
    ["administrator", false],
    ["", false],
    [undefined, false],
  ])("hasAdminRole(%p) is %p", (header, expected) => {
    expect(hasAdminRole(header)).toBe(expected);
  });
});
