/**
 * A saga step's timer must outlast the lock of the command it waits on: when the instance
 * holding the lock dies, the command comes back only after LockDuration, and a shorter timer
 * would fail (and refund) an order that was about to succeed.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { QUEUES } from "../../shared/config/names";

const root = path.join(__dirname, "..", "..");
const read = (file: string): string => readFileSync(path.join(root, file), "utf8");

interface QueueEntry {
  Name: string;
  Properties: { LockDuration: string };
}

function isoSeconds(duration: string): number {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(duration);
  if (!match) throw new Error(`unexpected LockDuration ${duration}`);
  const [, h = "0", m = "0", s = "0"] = match;
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
}

const topology = JSON.parse(read("infra/servicebus/config.json")) as {
  UserConfig: { Namespaces: Array<{ Queues: QueueEntry[] }> };
};
const commandQueues = [QUEUES.inventory, QUEUES.payments, QUEUES.sagaReplies] as string[];
const longestLock = Math.max(
  ...topology.UserConfig.Namespaces.flatMap((ns) => ns.Queues)
    .filter((queue) => commandQueues.includes(queue.Name))
    .map((queue) => isoSeconds(queue.Properties.LockDuration)),
);

describe("saga step timeouts in Azure", () => {
  it.each([
    ["bicep/main.bicep", /param (saga\w+TimeoutSeconds) int = (\d+)/g],
    ["bicep/dev.bicepparam", /param (saga\w+TimeoutSeconds) = (\d+)/g],
    ["bicep/prod.bicepparam", /param (saga\w+TimeoutSeconds) = (\d+)/g],
  ])("%s sets each one above the command queues' lock duration", (file, pattern) => {
    const found = [...read(file).matchAll(pattern)].map(([, name, value]) => ({
      name,
      seconds: Number(value),
    }));
    expect(found.map((f) => f.name).sort()).toEqual([
      "sagaInventoryTimeoutSeconds",
      "sagaPaymentTimeoutSeconds",
    ]);
    for (const { seconds } of found) expect(seconds).toBeGreaterThan(longestLock * 2);
  });
});
