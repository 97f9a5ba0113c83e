import { readdirSync } from "node:fs";
import { join } from "node:path";
import { ServiceBusClient } from "@azure/service-bus";
import {
  loadEmulatorConfig,
  parseIsoDuration,
  startServiceBusEmulator,
} from "@order-processing/local-runtime/servicebus";
import {
  CONNECTIONS,
  ORDER_EVENTS_TOPIC,
  QUEUES,
  SAGA_SUBSCRIPTION,
} from "../../shared/config/names";
import { REPO_ROOT, loadedFiles, readRepoFile, stripBicepComments } from "./bicepText";

const TOPOLOGY = "infra/servicebus/config.json";
const SERVICE_BUS_MODULE = "bicep/modules/servicebus.bicep";

const config = loadEmulatorConfig(join(REPO_ROOT, TOPOLOGY));
const namespace = config.UserConfig.Namespaces[0]!;
const queues = namespace.Queues ?? [];
const topics = namespace.Topics ?? [];
const subscriptions = topics.flatMap((t) => t.Subscriptions ?? []);
const sbModule = stripBicepComments(readRepoFile(SERVICE_BUS_MODULE));

// Every property is set explicitly in the file: where it is left out, the emulator and
// Azure each apply their own default (a 1-hour TTL against 14 days, say), and drift.
const QUEUE_PROPERTIES = [
  "LockDuration",
  "MaxDeliveryCount",
  "DefaultMessageTimeToLive",
  "DeadLetteringOnMessageExpiration",
  "RequiresDuplicateDetection",
  "DuplicateDetectionHistoryTimeWindow",
  "RequiresSession",
] as const;
const SUBSCRIPTION_PROPERTIES = QUEUE_PROPERTIES.filter(
  (p) => p !== "RequiresDuplicateDetection" && p !== "DuplicateDetectionHistoryTimeWindow",
);
const TOPIC_PROPERTIES = [
  "DefaultMessageTimeToLive",
  "RequiresDuplicateDetection",
  "DuplicateDetectionHistoryTimeWindow",
] as const;

/** The file's property names that the Bicep module maps onto ARM properties. */
const MAPPED = [
  ...new Set([
    ...QUEUE_PROPERTIES,
    ...TOPIC_PROPERTIES,
    "ForwardTo",
    "ForwardDeadLetteredMessagesTo",
  ]),
];

function durationMs(text: unknown): number {
  const ms = typeof text === "string" ? parseIsoDuration(text) : undefined;
  if (ms === undefined) throw new Error(`not an ISO 8601 duration: ${String(text)}`);
  return ms;
}

describe("Service Bus topology shared by the emulator and Bicep", () => {
  it("declares one namespace", () => {
    expect(config.UserConfig.Namespaces).toHaveLength(1);
  });

  it("declares every queue the code uses, with every property set", () => {
    for (const name of Object.values(QUEUES)) {
      const queue = queues.find((q) => q.Name === name);
      expect(queue).toBeDefined();
      const missing = QUEUE_PROPERTIES.filter((p) => queue?.Properties?.[p] === undefined);
      expect({ queue: name, missing }).toEqual({ queue: name, missing: [] });
    }
  });

  it("declares the event topic and the saga subscription with a rule, every property set", () => {
    const topic = topics.find((t) => t.Name === ORDER_EVENTS_TOPIC);
    expect(topic).toBeDefined();
    for (const p of TOPIC_PROPERTIES) expect(topic?.Properties?.[p]).toBeDefined();
    const saga = topic?.Subscriptions?.find((s) => s.Name === SAGA_SUBSCRIPTION);
    expect(saga).toBeDefined();
    for (const p of SUBSCRIPTION_PROPERTIES) expect(saga?.Properties?.[p]).toBeDefined();
    expect(saga?.Rules?.length).toBeGreaterThan(0);
  });

  it("declares nothing the code does not use", () => {
    expect(queues.map((q) => q.Name).sort()).toEqual(Object.values(QUEUES).sort());
    expect(topics.map((t) => t.Name)).toEqual([ORDER_EVENTS_TOPIC]);
    expect(subscriptions.map((s) => s.Name)).toEqual([SAGA_SUBSCRIPTION]);
  });

  it("stays within what a Standard namespace accepts", () => {
    for (const entity of [...queues, ...subscriptions]) {
      const p = entity.Properties ?? {};
      expect(durationMs(p.LockDuration)).toBeLessThanOrEqual(5 * 60_000);
      expect(p.MaxDeliveryCount).toBeGreaterThanOrEqual(1);
    }
    for (const entity of [...queues, ...topics]) {
      const window = entity.Properties?.DuplicateDetectionHistoryTimeWindow;
      if (window !== undefined) expect(durationMs(window)).toBeLessThanOrEqual(7 * 24 * 3_600_000);
    }
  });

  it("the Bicep module reads this very file and loops over every entity kind", () => {
    expect(loadedFiles(SERVICE_BUS_MODULE)).toEqual([TOPOLOGY]);
    expect(loadedFiles("bicep/modules/alerts.bicep")).toContain(TOPOLOGY);
    expect(sbModule).toMatch(/resource queueResources '[^']+' = \[\s*for q in queues:/);
    expect(sbModule).toMatch(/resource topicResources '[^']+' = \[\s*for t in topics:/);
    expect(sbModule).toMatch(
      /resource subscriptionResources '[^']+' = \[\s*for x in subscriptions:/,
    );
    expect(sbModule).toMatch(/resource ruleResources '[^']+' = \[\s*for r in rules:/);
  });

  it("the Bicep module maps every property the file sets", () => {
    const used = new Set<string>();
    for (const entity of [...queues, ...topics, ...subscriptions]) {
      for (const key of Object.keys(entity.Properties ?? {})) used.add(key);
    }
    expect([...used].filter((p) => !MAPPED.includes(p))).toEqual([]);
    for (const p of MAPPED) {
      const armName = p.charAt(0).toLowerCase() + p.slice(1);
      expect(sbModule).toMatch(new RegExp(`${armName}: [^\\n]*\\.\\?${p}\\b`));
    }
  });

  it("the Bicep module maps every rule filter field the file uses", () => {
    const ruleKeys = new Set<string>();
    for (const s of subscriptions) {
      for (const r of s.Rules ?? []) {
        expect(["Correlation", "Sql"]).toContain(r.Properties.FilterType);
        for (const key of Object.keys(r.Properties.CorrelationFilter ?? {})) ruleKeys.add(key);
      }
    }
    for (const key of ruleKeys)
      expect(sbModule).toMatch(new RegExp(`CorrelationFilter\\.\\?${key}\\b`));
  });

  it("the functions bind only to entities named in names.ts, over ServiceBusConnection", () => {
    const allowed: Record<string, string[]> = {
      queueName: Object.keys(QUEUES).map((k) => `QUEUES.${k}`),
      topicName: ["ORDER_EVENTS_TOPIC"],
      subscriptionName: ["SAGA_SUBSCRIPTION"],
      connection: ["CONNECTIONS.serviceBus"],
    };
    expect(CONNECTIONS.serviceBus).toBe("ServiceBusConnection");
    const folder = join(REPO_ROOT, "functions");
    const bad: string[] = [];
    for (const file of readdirSync(folder).filter((f) => f.endsWith(".ts"))) {
      const text = readRepoFile(`functions/${file}`);
      for (const m of text.matchAll(
        /\b(queueName|topicName|subscriptionName|connection):\s*([^,\n}]+)/g,
      )) {
        if (!allowed[m[1]!]!.includes(m[2]!.trim())) bad.push(`${file}: ${m[1]!}: ${m[2]!.trim()}`);
      }
    }
    expect(bad).toEqual([]);
  });
});

describe("project topology (infra/servicebus/config.json)", () => {
  const config = loadEmulatorConfig(join(REPO_ROOT, TOPOLOGY));
  const ns = config.UserConfig.Namespaces[0]!;

  it("declares exactly the queues, topic and subscription of shared/config/names.ts", () => {
    expect((ns.Queues ?? []).map((q) => q.Name).sort()).toEqual(Object.values(QUEUES).sort());
    expect((ns.Topics ?? []).map((t) => t.Name)).toEqual([ORDER_EVENTS_TOPIC]);
    expect((ns.Topics?.[0]?.Subscriptions ?? []).map((s) => s.Name)).toEqual([SAGA_SUBSCRIPTION]);
  });

  it("turns duplicate detection on for every queue and the topic (publishers use messageId = event id)", () => {
    for (const q of ns.Queues ?? []) expect(q.Properties?.RequiresDuplicateDetection).toBe(true);
    expect(ns.Topics?.[0]?.Properties?.RequiresDuplicateDetection).toBe(true);
  });

  it("routes only OrderPlaced to the saga subscription", async () => {
    const emulator = await startServiceBusEmulator({
      port: 0,
      configPath: join(REPO_ROOT, TOPOLOGY),
    });
    const client = new ServiceBusClient(emulator.connectionString);
    try {
      await client.createSender(ORDER_EVENTS_TOPIC).sendMessages([
        {
          body: 1,
          messageId: "e1",
          subject: "OrderPlaced",
          applicationProperties: { type: "OrderPlaced" },
        },
        {
          body: 2,
          messageId: "e2",
          subject: "OrderConfirmed",
          applicationProperties: { type: "OrderConfirmed" },
        },
      ]);
      const receiver = client.createReceiver(ORDER_EVENTS_TOPIC, SAGA_SUBSCRIPTION, {
        receiveMode: "receiveAndDelete",
      });
      const got = await receiver.receiveMessages(2, { maxWaitTimeInMs: 1500 });
      expect(got.map((m): unknown => m.body)).toEqual([1]);
      await receiver.close();
    } finally {
      await client.close();
      await emulator.close();
    }
  });
});
