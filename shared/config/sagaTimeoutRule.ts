/**
 * The saga timeout rule (docs/guarantees.md): a step's timer must outlast the longest time its
 * command can stay invisible after a crash. A participant that dies while it holds the
 * command stops renewing its lock; the command comes back when the lock expires, at most the
 * queue's LockDuration after the last renewal, and the last renewal is at most the handler's
 * time after delivery (the trigger renews for `maxAutoLockRenewalDuration` of host.json and
 * no longer, so that bounds the handler's time as the queue sees it). A timer shorter than
 * LockDuration + handler time fails (and refunds) an order that was about to succeed.
 *
 * The values come from where Azure takes them: LockDuration from the topology
 * (infra/servicebus/config.json, which Bicep deploys and the emulator loads), the renewal
 * limit from host.json or its app-setting override, as the Functions host reads it.
 */
import { QUEUES } from "./names";
import type { SettingProblem } from "./settingsError";

/** The Functions host's own override of host.json values, read before host.json. */
export const RENEWAL_OVERRIDE_SETTING =
  "AzureFunctionsJobHost__extensions__serviceBus__maxAutoLockRenewalDuration";

/** The Service Bus extension's default when host.json says nothing (5 minutes). */
const DEFAULT_RENEWAL_SECONDS = 300;

export interface SagaTimeouts {
  readonly inventoryTimeoutInMs: number;
  readonly paymentTimeoutInMs: number;
}

/** What a step's command queue lets a crash cost, and where each value came from. */
export interface CommandInvisibility {
  readonly queue: string;
  readonly lockSeconds: number;
  readonly handlerSeconds: number;
  readonly lockSource: string;
  readonly handlerSource: string;
}

const STEPS = [
  { setting: "SAGA_INVENTORY_TIMEOUT_SECONDS", queue: QUEUES.inventory, key: "inventory" },
  { setting: "SAGA_PAYMENT_TIMEOUT_SECONDS", queue: QUEUES.payments, key: "payment" },
] as const;

/** ISO 8601 `PT…` durations as the topology writes them (`PT10S`, `PT1M`, `PT0.5S`). */
export function isoDurationSeconds(value: string): number | undefined {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value);
  if (!match || value === "P" || value.endsWith("T")) return undefined;
  const [, d = "0", h = "0", m = "0", s = "0"] = match;
  return ((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60 + Number(s);
}

/** A .NET TimeSpan as host.json writes it (`00:00:30`, `1.00:00:00`) in seconds. */
export function timeSpanSeconds(value: string): number | undefined {
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{1,2}):(\d{1,2}(?:\.\d+)?)$/.exec(value.trim());
  if (!match) return undefined;
  const [, days = "0", hours, minutes, seconds] = match;
  return ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds);
}

function entry(obj: unknown, key: string): unknown {
  if (!obj || typeof obj !== "object") return undefined;
  // host.json keys are case-insensitive in the Functions host.
  return Object.entries(obj as Record<string, unknown>).find(
    ([k]) => k.toLowerCase() === key.toLowerCase(),
  )?.[1];
}

/** The renewal limit in seconds: the app setting override, else host.json, else the default. */
export function handlerSeconds(
  hostJson: unknown,
  env: Readonly<Record<string, string | undefined>>,
): { seconds: number; source: string } {
  const override = env[RENEWAL_OVERRIDE_SETTING]?.trim();
  if (override) {
    const seconds = timeSpanSeconds(override);
    if (seconds === undefined)
      throw new Error(`${RENEWAL_OVERRIDE_SETTING} is not a TimeSpan such as 00:00:30.`);
    return { seconds, source: RENEWAL_OVERRIDE_SETTING };
  }
  const value = entry(
    entry(entry(hostJson, "extensions"), "serviceBus"),
    "maxAutoLockRenewalDuration",
  );
  if (value === undefined)
    return { seconds: DEFAULT_RENEWAL_SECONDS, source: "the Service Bus extension's default" };
  const seconds = typeof value === "string" ? timeSpanSeconds(value) : undefined;
  if (seconds === undefined)
    throw new Error(
      "host.json extensions.serviceBus.maxAutoLockRenewalDuration is not a TimeSpan.",
    );
  return { seconds, source: "host.json maxAutoLockRenewalDuration" };
}

/** LockDuration of one queue in the topology (Config.json shape), in seconds. */
export function queueLockSeconds(topology: unknown, queue: string): number {
  const namespaces = entry(entry(topology, "UserConfig"), "Namespaces");
  const queues = Array.isArray(namespaces)
    ? namespaces.flatMap((ns) => {
        const q = entry(ns, "Queues");
        return Array.isArray(q) ? (q as unknown[]) : [];
      })
    : [];
  const found = queues.find((q) => entry(q, "Name") === queue);
  if (found === undefined) throw new Error(`The Service Bus topology has no queue '${queue}'.`);
  const lock = entry(entry(found, "Properties"), "LockDuration");
  // Service Bus default when a queue does not say (1 minute).
  if (lock === undefined) return 60;
  const seconds = typeof lock === "string" ? isoDurationSeconds(lock) : undefined;
  if (seconds === undefined)
    throw new Error(
      `The Service Bus topology's queue '${queue}' has a LockDuration that is not ISO 8601.`,
    );
  return seconds;
}

/** The bound each step's timer must exceed, by step. */
export function commandInvisibility(
  topology: unknown,
  topologySource: string,
  hostJson: unknown,
  env: Readonly<Record<string, string | undefined>>,
): Record<(typeof STEPS)[number]["key"], CommandInvisibility> {
  const handler = handlerSeconds(hostJson, env);
  const of = (queue: string): CommandInvisibility => ({
    queue,
    lockSeconds: queueLockSeconds(topology, queue),
    handlerSeconds: handler.seconds,
    lockSource: topologySource,
    handlerSource: handler.source,
  });
  return { inventory: of(QUEUES.inventory), payment: of(QUEUES.payments) };
}

/** One problem per step whose timeout does not exceed its command's invisibility. */
export function sagaTimeoutProblems(
  timeouts: SagaTimeouts,
  invisibility: ReturnType<typeof commandInvisibility>,
): SettingProblem[] {
  return STEPS.flatMap(({ setting, key }) => {
    const timeoutSeconds =
      (key === "inventory" ? timeouts.inventoryTimeoutInMs : timeouts.paymentTimeoutInMs) / 1000;
    const bound = invisibility[key];
    const limit = bound.lockSeconds + bound.handlerSeconds;
    if (timeoutSeconds > limit) return [];
    return [
      {
        setting,
        expected:
          `is ${timeoutSeconds} s; it must exceed the '${bound.queue}' queue's LockDuration ` +
          `(${bound.lockSeconds} s, ${bound.lockSource}) plus its handler's time ` +
          `(${bound.handlerSeconds} s, ${bound.handlerSource}) = ${limit} s, or a command ` +
          `held by an instance that dies comes back after the saga gave up`,
      },
    ];
  });
}
