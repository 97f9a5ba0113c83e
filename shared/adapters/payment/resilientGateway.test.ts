import { CircuitBreaker } from "./circuitBreaker";
import { PaymentGatewayError } from "./paymentGateway";
import type { PaymentGateway } from "./paymentGateway";
import { DEFAULT_RESILIENCE, createResilientGateway } from "./resilientGateway";
import { SIMULATED_TOKENS, createSimulatedGateway } from "./simulatedGateway";

const usd = (amount: number) => ({ amount, currency: "USD" });
const auth = (token: string, key = `o-${token}:authorize`) => ({
  idempotencyKey: key,
  apiKey: "local-key",
  token,
  amount: usd(100),
});

function resilient(inner: PaymentGateway, now = () => 0) {
  const slept: number[] = [];
  const gateway = createResilientGateway(inner, {
    ...DEFAULT_RESILIENCE,
    timeoutInMs: 20,
    now,
    sleep: (ms) => {
      slept.push(ms);
      return Promise.resolve();
    },
  });
  return { gateway, slept };
}

describe("createSimulatedGateway", () => {
  it.each([
    [SIMULATED_TOKENS.approve, "approved"],
    [SIMULATED_TOKENS.decline, "declined"],
    [SIMULATED_TOKENS.insufficientFunds, "declined"],
  ])("answers %s with %s, the same answer for a repeated key", async (token, outcome) => {
    const gateway = createSimulatedGateway();
    const first = await gateway.authorize(auth(token));
    expect(first.outcome).toBe(outcome);
    expect(await gateway.authorize(auth(token))).toEqual(first);
  });

  it("never answers tok_timeout, failing with Timeout when the caller's wait ends", async () => {
    const gateway = createSimulatedGateway();
    await expect(
      gateway.authorize(auth(SIMULATED_TOKENS.timeout), { timeoutInMs: 10 }),
    ).rejects.toMatchObject({
      code: "Timeout",
    });
  });

  it("refuses a call without an API key", async () => {
    await expect(
      Promise.resolve().then(() =>
        createSimulatedGateway().capture({
          idempotencyKey: "k",
          apiKey: "",
          authorizationId: "a",
          amount: usd(1),
        }),
      ),
    ).rejects.toMatchObject({ code: "Unauthorized" });
  });
});

describe("createResilientGateway", () => {
  it("retries tok_flaky's two transient failures with backoff, then approves", async () => {
    const { gateway, slept } = resilient(createSimulatedGateway());
    const result = await gateway.authorize(auth(SIMULATED_TOKENS.flaky));
    expect(result.outcome).toBe("approved");
    expect(slept).toEqual([100, 200]);
  });

  it("does not retry a timeout", async () => {
    const { gateway, slept } = resilient(createSimulatedGateway());
    await expect(gateway.authorize(auth(SIMULATED_TOKENS.timeout))).rejects.toMatchObject({
      code: "Timeout",
    });
    expect(slept).toEqual([]);
  });

  it("opens the circuit after repeated transient failures and fails fast until it half-opens", async () => {
    let now = 0;
    let calls = 0;
    const down: PaymentGateway = {
      ...createSimulatedGateway(),
      authorize: () => {
        calls++;
        return Promise.reject(new PaymentGatewayError("Transient", "503"));
      },
    };
    const { gateway } = resilient(down, () => now);
    await expect(gateway.authorize(auth("tok_visa", "a"))).rejects.toMatchObject({
      code: "Transient",
    });
    await expect(gateway.authorize(auth("tok_visa", "b"))).rejects.toMatchObject({
      code: "CircuitOpen",
    });
    expect(calls).toBe(5);
    now = DEFAULT_RESILIENCE.openForInMs;
    await expect(gateway.authorize(auth("tok_visa", "c"))).rejects.toMatchObject({
      code: "CircuitOpen",
    });
    expect(calls).toBe(6);
  });
});

describe("CircuitBreaker", () => {
  it("closes again after a successful half-open trial", () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 2, openForInMs: 10, now: () => now });
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state).toBe("open");
    expect(breaker.tryAcquire()).toBe(false);
    now = 10;
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.recordSuccess();
    expect(breaker.state).toBe("closed");
  });
});
