import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEmulatorConfig, TopologyError } from "./config";
import { startServiceBusEmulator } from "./index";
import { testTopology } from "./testing/topology";

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
