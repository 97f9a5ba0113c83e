import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { checkSagaTimeouts } from "./sagaTimeoutCheck";
import {
  RENEWAL_OVERRIDE_SETTING,
  commandInvisibility,
  isoDurationSeconds,
  sagaTimeoutProblems,
  timeSpanSeconds,
} from "./sagaTimeoutRule";
import { SettingsError } from "./settingsError";

const root = path.join(__dirname, "..", "..");
const projectTopology = JSON.parse(
  readFileSync(path.join(root, "infra", "servicebus", "config.json"), "utf8"),
) as unknown;
const projectHostJson = JSON.parse(readFileSync(path.join(root, "host.json"), "utf8")) as unknown;
const sampleValues = (
  JSON.parse(readFileSync(path.join(root, "local.settings.sample.json"), "utf8")) as {
    Values: Record<string, string>;
  }
).Values;

const seconds = (inventory: number, payment: number) => ({
  inventoryTimeoutInMs: inventory * 1000,
  paymentTimeoutInMs: payment * 1000,
});

describe("the saga timeout rule", () => {
  it("reads ISO 8601 lock durations and TimeSpan renewal limits", () => {
    expect(isoDurationSeconds("PT10S")).toBe(10);
    expect(isoDurationSeconds("PT1M")).toBe(60);
    expect(isoDurationSeconds("PT1H30S")).toBe(3630);
    expect(isoDurationSeconds("PT0.5S")).toBe(0.5);
    expect(isoDurationSeconds("10s")).toBeUndefined();
    expect(timeSpanSeconds("00:00:30")).toBe(30);
    expect(timeSpanSeconds("1.00:00:00")).toBe(86_400);
    expect(timeSpanSeconds("30")).toBeUndefined();
  });

  it("holds for npm start's defaults, which still let tok_timeout fail within a minute", () => {
    const timeouts = seconds(
      Number(sampleValues.SAGA_INVENTORY_TIMEOUT_SECONDS),
      Number(sampleValues.SAGA_PAYMENT_TIMEOUT_SECONDS),
    );
    const bound = commandInvisibility(projectTopology, "topology", projectHostJson, {});
    expect(sagaTimeoutProblems(timeouts, bound)).toEqual([]);
    expect(timeouts.paymentTimeoutInMs).toBeLessThanOrEqual(60_000);
  });

  it("names the timeout and both values it must exceed", () => {
    const bound = commandInvisibility(
      projectTopology,
      "infra/servicebus/config.json",
      projectHostJson,
      {},
    );
    const problems = sagaTimeoutProblems(seconds(60, 15), bound);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.setting).toBe("SAGA_PAYMENT_TIMEOUT_SECONDS");
    expect(problems[0]!.expected).toContain("is 15 s");
    expect(problems[0]!.expected).toContain(
      `'payments' queue's LockDuration (${bound.payment.lockSeconds} s, infra/servicebus/config.json)`,
    );
    expect(problems[0]!.expected).toContain(
      `handler's time (${bound.payment.handlerSeconds} s, host.json maxAutoLockRenewalDuration)`,
    );
  });

  it("takes the Functions host's app-setting override of host.json's renewal limit", () => {
    const bound = commandInvisibility(projectTopology, "topology", projectHostJson, {
      [RENEWAL_OVERRIDE_SETTING]: "00:02:00",
    });
    expect(bound.inventory.handlerSeconds).toBe(120);
    expect(bound.inventory.handlerSource).toBe(RENEWAL_OVERRIDE_SETTING);
  });

  it("counts the extension's 5-minute default when host.json says nothing", () => {
    const bound = commandInvisibility(projectTopology, "topology", {}, {});
    expect(bound.payment.handlerSeconds).toBe(300);
  });

  it("stops start-up with a SettingsError for a topology whose locks outlast the timeouts", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "rule-"));
    try {
      const file = path.join(dir, "config.json");
      const long = JSON.parse(
        JSON.stringify(projectTopology).replaceAll('"PT10S"', '"PT5M"'),
      ) as unknown;
      writeFileSync(file, JSON.stringify(long));
      const check = () => checkSagaTimeouts(seconds(120, 120), file, {});
      expect(check).toThrow(SettingsError);
      expect(check).toThrow(
        /SAGA_INVENTORY_TIMEOUT_SECONDS: is 120 s.*LockDuration \(300 s, SERVICEBUS_TOPOLOGY_FILE\)/,
      );
      expect(() => checkSagaTimeouts(seconds(120, 120), undefined, {})).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
