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

  it("stops when a saga step timeout does not outlast its queue's lock plus handler time", async () => {
    const { exit, output } = await expectHostStartFailure({
      env: { SAGA_PAYMENT_TIMEOUT_SECONDS: "15" },
      readyTimeoutMs: 60_000,
    });
    expect(exit?.code).not.toBe(0);
    expect(output).toContain("Invalid app settings");
    expect(output).toContain("SAGA_PAYMENT_TIMEOUT_SECONDS: is 15 s");
    expect(output).toMatch(
      /'payments' queue's LockDuration \(10 s, infra\/servicebus\/config\.json\)/,
    );
    expect(output).toMatch(/handler's time \(30 s, host\.json maxAutoLockRenewalDuration\)/);
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
