import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ServiceBusClient } from "@azure/service-bus";
import { ORDER_EVENTS_TOPIC, QUEUES, SAGA_SUBSCRIPTION } from "../../../shared/config/names";
import { loadEmulatorConfig, parseEmulatorConfig, TopologyError } from "./config";
import { defaultConfigPath, startServiceBusEmulator } from "./index";
import { testTopology } from "./testing/topology";

describe("project topology (infra/servicebus/config.json)", () => {
  const config = loadEmulatorConfig(defaultConfigPath());
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
    const emulator = await startServiceBusEmulator({ port: 0 });
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

describe("malformed topology", () => {
  function invalid(mutate: (c: ReturnType<typeof testTopology>) => void): string {
    const c = testTopology({
      queues: { a: {}, b: {}, c: {} },
      topics: { t: { subscriptions: { s: {} } } },
    });
    mutate(c);
    try {
      parseEmulatorConfig(JSON.parse(JSON.stringify(c)));
    } catch (e) {
      expect(e).toBeInstanceOf(TopologyError);
      return (e as Error).message;
    }
    throw new Error("expected a TopologyError");
  }

  it("names the entry with a bad duration", () => {
    const msg = invalid((c) => {
      c.UserConfig.Namespaces[0]!.Queues![2]!.Properties!.LockDuration = "one minute";
    });
    expect(msg).toContain(
      "Namespaces[0].Queues[2].Properties.LockDuration: expected ISO 8601 duration",
    );
  });

  it("names the entry with a wrong type", () => {
    const msg = invalid((c) => {
      (
        c.UserConfig.Namespaces[0]!.Queues![0]!.Properties as Record<string, unknown>
      ).MaxDeliveryCount = "ten";
    });
    expect(msg).toContain("Namespaces[0].Queues[0].Properties.MaxDeliveryCount");
  });

  it("names a SQL filter that does not parse", () => {
    const msg = invalid((c) => {
      c.UserConfig.Namespaces[0]!.Topics![0]!.Subscriptions![0]!.Rules = [
        { Name: "r", Properties: { FilterType: "Sql", SqlFilter: { SqlExpression: "type = " } } },
      ];
    });
    expect(msg).toContain(
      "Namespaces[0].Topics[0].Subscriptions[0].Rules[0].Properties.SqlFilter.SqlExpression",
    );
  });

  it("names a ForwardTo that points nowhere and a repeated name", () => {
    const msg = invalid((c) => {
      c.UserConfig.Namespaces[0]!.Queues![0]!.Properties!.ForwardTo = "missing";
      c.UserConfig.Namespaces[0]!.Queues![1]!.Name = "a";
    });
    expect(msg).toContain(
      'Namespaces[0].Queues[0].Properties.ForwardTo: no queue or topic named "missing"',
    );
    expect(msg).toContain('Namespaces[0].Queues[1].Name: "a" is already used');
  });

  it("stops start-up with the file name and the entry", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sb-config-"));
    const file = join(dir, "config.json");
    writeFileSync(
      file,
      JSON.stringify({
        UserConfig: {
          Namespaces: [{ Name: "x", Queues: [{ Name: "q", Properties: { LockDuration: 5 } }] }],
        },
      }),
    );
    await expect(startServiceBusEmulator({ port: 0, configPath: file })).rejects.toThrow(
      /config\.json: invalid topology[\s\S]*Namespaces\[0\]\.Queues\[0\]\.Properties\.LockDuration/,
    );
    writeFileSync(file, "{ not json");
    await expect(startServiceBusEmulator({ port: 0, configPath: file })).rejects.toThrow(
      /cannot read topology/,
    );
  });
});
