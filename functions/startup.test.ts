/** The app validates its settings when it loads: a bad setting stops the host with its name. */
import { expectHostStartFailure } from "@order-processing/local-runtime/testing";

describe("app start-up", () => {
  it("stops with the settings error naming a bad CosmosDbConnection", async () => {
    const { exit, output } = await expectHostStartFailure({
      env: { CosmosDbConnection: "not-a-connection-string", IDEMPOTENCY_TTL_SECONDS: "ten" },
      readyTimeoutMs: 60_000,
    });
    expect(exit?.code).not.toBe(0);
    expect(output).toContain("Invalid app settings");
    expect(output).toContain("CosmosDbConnection");
    expect(output).toContain("IDEMPOTENCY_TTL_SECONDS");
    expect(output).not.toContain("not-a-connection-string");
  });

  it("stops naming the AUTH_* setting that token mode lacks or cannot use", async () => {
    const { exit, output } = await expectHostStartFailure({
      env: {
        AUTH_MODE: "token",
        AUTH_TOKEN_ISSUER: "",
        AUTH_OPENID_CONFIG_URL:
          "http://login.example.com/tenant/v2.0/.well-known/openid-configuration",
      },
      readyTimeoutMs: 60_000,
    });
    expect(exit?.code).not.toBe(0);
    expect(output).toContain("AUTH_TOKEN_ISSUER: is required when AUTH_MODE is token");
    expect(output).toContain("AUTH_OPENID_CONFIG_URL: expects https");
  });
});
