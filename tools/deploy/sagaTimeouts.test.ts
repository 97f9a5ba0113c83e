/**
 * The saga timeout rule (shared/config/sagaTimeoutRule.ts) for what Azure runs: each step
 * timeout Bicep sets must exceed its command queue's LockDuration (the topology Bicep
 * deploys) plus the handler's time (host.json's renewal limit). The app checks the same at
 * start-up; this catches a breaking parameter before a deployment does.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { commandInvisibility, sagaTimeoutProblems } from "../../shared/config/sagaTimeoutRule";

const root = path.join(__dirname, "..", "..");
const read = (file: string): string => readFileSync(path.join(root, file), "utf8");

const bound = commandInvisibility(
  JSON.parse(read("infra/servicebus/config.json")),
  "infra/servicebus/config.json",
  JSON.parse(read("host.json")),
  {},
);

describe("saga step timeouts in Azure", () => {
  it.each([
    ["bicep/main.bicep", /param (saga\w+TimeoutSeconds) int = (\d+)/g],
    ["bicep/dev.bicepparam", /param (saga\w+TimeoutSeconds) = (\d+)/g],
    ["bicep/prod.bicepparam", /param (saga\w+TimeoutSeconds) = (\d+)/g],
  ])("%s sets each one above the command queues' lock duration", (file, pattern) => {
    const found = Object.fromEntries(
      [...read(file).matchAll(pattern)].map(([, name, value]) => [name, Number(value)]),
    );
    expect(Object.keys(found).sort()).toEqual([
      "sagaInventoryTimeoutSeconds",
      "sagaPaymentTimeoutSeconds",
    ]);
    const timeouts = {
      inventoryTimeoutInMs: found.sagaInventoryTimeoutSeconds! * 1000,
      paymentTimeoutInMs: found.sagaPaymentTimeoutSeconds! * 1000,
    };
    expect(sagaTimeoutProblems(timeouts, bound)).toEqual([]);
  });
});
