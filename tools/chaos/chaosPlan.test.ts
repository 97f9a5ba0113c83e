import {
  faultFromText,
  planFromJson,
  tokenSequence,
  validatePlan,
  DEFAULT_PLAN,
} from "./chaosPlan";

describe("chaos plan", () => {
  it("reads a JSON plan: durations, faults with their times and options", () => {
    const plan = planFromJson(
      {
        rate: 3,
        duration: "1m",
        faults: [
          { target: "host", fault: "kill", at: "10s" },
          { target: "cosmos", fault: "throttle", share: 0.1, retryAfter: "50ms", for: "run" },
          { target: "servicebus", fault: "drop-connections", every: "30s", for: "90s" },
        ],
        settings: { SAGA_PAYMENT_TIMEOUT_SECONDS: "150" },
      },
      "ci",
    );
    expect(plan).toMatchObject({ name: "ci", rate: 3, durationMs: 60_000 });
    expect(plan.faults).toEqual([
      { target: "host", fault: "kill", atMs: 10_000, options: {} },
      {
        target: "cosmos",
        fault: "throttle",
        atMs: 0,
        for: "run",
        options: { share: 0.1, retryAfterMs: 50 },
      },
      {
        target: "servicebus",
        fault: "drop-connections",
        atMs: 0,
        for: 90_000,
        everyMs: 30_000,
        options: {},
      },
    ]);
    expect(plan.settings).toEqual({ SAGA_PAYMENT_TIMEOUT_SECONDS: "150" });
  });

  it("reads the flag form of a fault", () => {
    expect(faultFromText("host kill --every 20s --at 5s")).toEqual({
      target: "host",
      fault: "kill",
      atMs: 5_000,
      everyMs: 20_000,
      options: {},
    });
    expect(
      faultFromText("cosmos throttle --share 0.1 --retry-after 100ms --for run"),
    ).toMatchObject({
      for: "run",
      options: { share: 0.1, retryAfterMs: 100 },
    });
  });

  it("names what it cannot use", () => {
    expect(() => faultFromText("cosmos throttle --shares 0.1")).toThrow('unknown option "shares"');
    expect(() => planFromJson({ duration: "soon" }, "x")).toThrow(
      'duration: "soon" is not a duration',
    );
    expect(() => validatePlan({ ...DEFAULT_PLAN, tokens: { tok_timeout: 1 } })).toThrow(
      "tokens.tok_timeout: no expected outcome",
    );
    expect(() => validatePlan({ ...DEFAULT_PLAN, rate: 0 })).toThrow("rate must be above 0");
  });

  it("spreads the token mix evenly and exactly over each cycle of its weights", () => {
    const plan = {
      ...DEFAULT_PLAN,
      tokens: { tok_visa: 5, tok_flaky: 2, tok_decline: 2, tok_insufficient_funds: 1 },
    };
    const tokens = tokenSequence(plan, 20);
    const count = (t: string) => tokens.filter((x) => x === t).length;
    expect([
      count("tok_visa"),
      count("tok_flaky"),
      count("tok_decline"),
      count("tok_insufficient_funds"),
    ]).toEqual([10, 4, 4, 2]);
    expect(tokens.slice(0, 10)).not.toEqual(tokens.slice(0, 10).slice().sort());
    expect(tokenSequence(plan, 20)).toEqual(tokens);
  });
});
