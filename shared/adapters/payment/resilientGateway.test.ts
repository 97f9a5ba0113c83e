import { CircuitBreaker } from "./circuitBreaker";
import { PaymentGatewayError } from "../../ports/paymentGateway";
import type { PaymentGateway } from "../../ports/paymentGateway";
import { DEFAULT_RESILIENCE, createResilientGateway } from "./resilientGateway";
import { SIMULATED_TOKENS, createSimulatedGateway } from "./simulatedGateway";

const usd = (amount: number) => ({ amount, currency: "USD" });
const auth = (token: string, key = `o-${token}:authorize`) => ({
  idempotencyKey: key,
  apiKey: "local-key",
  token,
  amount: usd(100),
});

/** The gateway on a fake clock: sleeping moves the clock on at once. */
function resilient(inner: PaymentGateway, options: Partial<typeof DEFAULT_RESILIENCE> = {}) {
  const slept: number[] = [];
  const clock = { now: 0 };
  const gateway = createResilientGateway(inner, {
    ...DEFAULT_RESILIENCE,
    timeoutInMs: 20,
    ...options,
    now: () => clock.now,
    sleep: (ms) => {
      slept.push(ms);
      clock.now += ms;
      return Promise.resolve();
    },
  });
  return { gateway, slept, clock };
}

/** A gateway whose authorize fails (503) for its first `failures` calls, then approves. */
function downFor(failures: number) {
  const inner = createSimulatedGateway();
  const counted = { calls: 0 };
  const gateway: PaymentGateway = {
    ...inner,
    authorize: (request, options) => {
      counted.calls++;
      if (counted.calls <= failures) {
        return Promise.reject(new PaymentGatewayError("Transient", "503"));
      }
      return inner.authorize(request, options);
    },
  };
  return { gateway, counted };
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

  it("opens the circuit after repeated failures; a call meeting it waits, calling nothing, and goes through once it half-opens", async () => {
    const inner = downFor(5);
    const { gateway, slept } = resilient(inner.gateway);
    // Four attempts fail: the error reaches the caller, the circuit is still closed.
    await expect(gateway.authorize(auth("tok_visa", "a"))).rejects.toMatchObject({
      code: "Transient",
    });
    // The fifth failure opens it. A queue handler failing now would have its message
    // redelivered at once and dead-lettered after five such deliveries; the call waits.
    const result = await gateway.authorize(auth("tok_visa", "b"));
    expect(result.outcome).toBe("approved");
    expect(inner.counted.calls).toBe(6);
    expect(slept).toEqual([100, 200, 400, 100, DEFAULT_RESILIENCE.openForInMs - 100]);
  });

  it("fails with CircuitOpen once it has waited maxCircuitWaitInMs for the circuit", async () => {
    const inner = downFor(Infinity);
    const { gateway, slept } = resilient(inner.gateway, { maxCircuitWaitInMs: 5_000 });
    await expect(gateway.authorize(auth("tok_visa", "a"))).rejects.toMatchObject({
      code: "Transient",
    });
    await expect(gateway.authorize(auth("tok_visa", "b"))).rejects.toMatchObject({
      code: "CircuitOpen",
    });
    expect(inner.counted.calls).toBe(5);
    expect(slept.slice(3)).toEqual([100, 4_900]);
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

describe("CircuitBreaker.waitInMs", () => {
  it("is the rest of the open period, then a short poll while a trial runs", () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 1, openForInMs: 1_000, now: () => now });
    expect(breaker.waitInMs()).toBe(0);
    breaker.recordFailure();
    now = 300;
    expect(breaker.waitInMs()).toBe(700);
    now = 1_000;
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.waitInMs()).toBe(100);
  });
});
