import { createHealthHandler, describeFailure } from "./health";
import type { HealthProbe } from "../ports";

describe("describeFailure", () => {
  it("keeps a non-empty message", () => {
    expect(describeFailure(new Error("connection refused"))).toBe("connection refused");
  });

  it("names the error, its code and status when the SDK threw with no message", () => {
    const error = Object.assign(new Error(""), {
      name: "ErrorResponse",
      code: 404,
      statusCode: 404,
    });
    expect(describeFailure(error)).toBe("ErrorResponse, code 404, status 404");
  });

  it("turns a thrown non-Error into text", () => {
    expect(describeFailure("boom")).toBe("boom");
  });
});

describe("createHealthHandler", () => {
  const ok: HealthProbe = { name: "cosmos", check: () => Promise.resolve() };
  const silent: HealthProbe = {
    name: "serviceBus",
    check: () => Promise.reject(Object.assign(new Error(""), { code: "ServiceUnavailable" })),
  };

  it("answers 503 naming the failing check with a readable reason", async () => {
    const response = await createHealthHandler({ probes: [ok, silent], timeoutInMs: 1_000 })(
      {} as never,
    );
    expect(response.status).toBe(503);
    const body = JSON.parse(String(response.body)) as {
      checks: Record<string, { status: string; error?: string }>;
    };
    expect(body.checks.cosmos).toEqual({ status: "ok" });
    expect(body.checks.serviceBus).toEqual({
      status: "failed",
      error: "Error, code ServiceUnavailable",
    });
  });
});
