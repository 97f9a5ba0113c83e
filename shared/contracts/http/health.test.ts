import { HealthResponseSchema } from "./health";

describe("HealthResponseSchema", () => {
  it("accepts ok and unavailable bodies", () => {
    const ok = { status: "ok", checks: { cosmos: { status: "ok" }, serviceBus: { status: "ok" } } };
    const down = {
      status: "unavailable",
      checks: { cosmos: { status: "failed", error: "timeout" } },
    };
    expect(HealthResponseSchema.parse(ok)).toEqual(ok);
    expect(HealthResponseSchema.parse(down)).toEqual(down);
  });

  it("names a bad check by its key", () => {
    const result = HealthResponseSchema.safeParse({
      status: "ok",
      checks: { storage: { status: "meh" } },
    });
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toEqual([
      "checks.storage.status",
    ]);
  });
});
