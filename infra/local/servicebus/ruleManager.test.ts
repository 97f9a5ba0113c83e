import {
  ServiceBusClient,
  isServiceBusError,
  type RuleProperties,
  type ServiceBusReceiver,
  type ServiceBusRuleManager,
} from "@azure/service-bus";
import { startServiceBusEmulator, type ServiceBusEmulator } from "./index";
import { testTopology } from "./testing/topology";

describe("subscription rules through the SDK's ServiceBusRuleManager ($management)", () => {
  let emulator: ServiceBusEmulator;
  let client: ServiceBusClient;

  beforeAll(async () => {
    emulator = await startServiceBusEmulator({
      port: 0,
      config: testTopology({
        topics: {
          catalog: {
            subscriptions: {
              listed: {},
              declared: { rules: [{ name: "eu", sql: "region = 'eu'" }] },
            },
          },
          sql: { subscriptions: { s: {} } },
          correlation: { subscriptions: { s: {} } },
          actions: { subscriptions: { s: {} } },
          closed: { subscriptions: { s: {} } },
        },
      }),
    });
    client = new ServiceBusClient(emulator.connectionString);
  });

  afterAll(async () => {
    await client.close();
    await emulator.close();
  });

  async function allRules(rules: ServiceBusRuleManager): Promise<RuleProperties[]> {
    const out: RuleProperties[] = [];
    for await (const r of rules.listRules()) out.push(r);
    return out;
  }

  async function bodies(receiver: ServiceBusReceiver, expected: number): Promise<unknown[]> {
    const got: unknown[] = [];
    while (got.length < expected) {
      const batch = await receiver.receiveMessages(expected - got.length, {
        maxWaitTimeInMs: 3000,
      });
      if (batch.length === 0) break;
      for (const m of batch) {
        got.push(m.body);
        await receiver.completeMessage(m);
      }
    }
    // Nothing more arrives than expected.
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 })).toHaveLength(0);
    return got;
  }

  it("lists the $Default rule of a new subscription and a declared SQL rule", async () => {
    const listed = await allRules(client.createRuleManager("catalog", "listed"));
    expect(listed).toEqual([{ name: "$Default", filter: { sqlExpression: "1=1" }, action: {} }]);
    const declared = await allRules(client.createRuleManager("catalog", "declared"));
    expect(declared).toEqual([
      { name: "eu", filter: { sqlExpression: "region = 'eu'" }, action: {} },
    ]);
  });

  it("adds a SQL rule, removes $Default, and the subscription filters by it", async () => {
    const rules = client.createRuleManager("sql", "s");
    await rules.createRule("big", { sqlExpression: "amount > 100" });
    await rules.deleteRule("$Default");
    const names: string[] = [];
    for await (const r of rules.listRules()) names.push(r.name);
    expect(names).toEqual(["big"]);
    await client.createSender("sql").sendMessages([
      { body: "small", applicationProperties: { amount: 5 } },
      { body: "large", applicationProperties: { amount: 500 } },
    ]);
    const receiver = client.createReceiver("sql", "s");
    expect(await bodies(receiver, 1)).toEqual(["large"]);
    await receiver.close();
  });

  it("adds a correlation rule with application properties and lists it back", async () => {
    const rules = client.createRuleManager("correlation", "s");
    await rules.createRule("placed", {
      subject: "OrderPlaced",
      contentType: "application/json",
      applicationProperties: { type: "OrderPlaced", version: 2 },
    });
    await rules.deleteRule("$Default");
    const [rule] = await allRules(rules);
    expect(rule?.name).toBe("placed");
    expect(rule?.filter).toMatchObject({
      subject: "OrderPlaced",
      contentType: "application/json",
      applicationProperties: { type: "OrderPlaced", version: 2 },
    });
    await client.createSender("correlation").sendMessages([
      {
        body: "match",
        subject: "OrderPlaced",
        contentType: "application/json",
        applicationProperties: { type: "OrderPlaced", version: 2 },
      },
      { body: "other subject", subject: "OrderShipped", contentType: "application/json" },
    ]);
    const receiver = client.createReceiver("correlation", "s");
    expect(await bodies(receiver, 1)).toEqual(["match"]);
    await receiver.close();
  });

  it("a rule with a SQL action gives its own copy, changed by SET and REMOVE", async () => {
    const rules = client.createRuleManager("actions", "s");
    await rules.createRule(
      "flag",
      { sqlExpression: "priority = 'high'" },
      { sqlExpression: "SET urgent = TRUE; SET note = 'p-' + priority; REMOVE secret" },
    );
    const listed = await allRules(rules);
    expect(listed.find((r) => r.name === "flag")?.action).toEqual({
      sqlExpression: "SET urgent = TRUE; SET note = 'p-' + priority; REMOVE secret",
    });
    await client
      .createSender("actions")
      .sendMessages({ body: "hot", applicationProperties: { priority: "high", secret: "s" } });
    const receiver = client.createReceiver("actions", "s");
    const got = await receiver.receiveMessages(2, { maxWaitTimeInMs: 3000 });
    while (got.length < 2) {
      const more = await receiver.receiveMessages(1, { maxWaitTimeInMs: 3000 });
      if (more.length === 0) break;
      got.push(...more);
    }
    const props = got
      .map((m) => m.applicationProperties)
      .sort((a, b) => (a?.RuleName ? 1 : b?.RuleName ? -1 : 0));
    // $Default (no action) gives the message as sent; "flag" gives a changed copy.
    expect(props).toEqual([
      { priority: "high", secret: "s" },
      { priority: "high", urgent: true, note: "p-high", RuleName: "flag" },
    ]);
    for (const m of got) await receiver.completeMessage(m);
    await receiver.close();
  });

  it("a false filter (1=0) keeps every message out", async () => {
    const rules = client.createRuleManager("closed", "s");
    await rules.createRule("none", { sqlExpression: "1=0" });
    await rules.deleteRule("$Default");
    await client.createSender("closed").sendMessages({ body: "dropped" });
    const receiver = client.createReceiver("closed", "s");
    expect(await bodies(receiver, 0)).toEqual([]);
    await receiver.close();
  });

  it("answers the service's errors: a taken name, a missing rule, a filter it cannot parse", async () => {
    const rules = client.createRuleManager("catalog", "listed");
    const taken = await rules
      .createRule("$Default", { sqlExpression: "1=1" })
      .catch((e: unknown) => e);
    expect(isServiceBusError(taken) && taken.code).toBe("MessagingEntityAlreadyExists");
    const missing = await rules.deleteRule("nope").catch((e: unknown) => e);
    expect(isServiceBusError(missing) && missing.code).toBe("MessagingEntityNotFound");
    const bad = await rules
      .createRule("bad", { sqlExpression: "amount >" })
      .catch((e: unknown) => e);
    expect((bad as Error).message).toMatch(/Rule 'bad': expected a value/);
    const action = await rules
      .createRule("act", { sqlExpression: "1=1" }, { sqlExpression: "DELETE x" })
      .catch((e: unknown) => e);
    expect((action as Error).message).toMatch(
      /supported actions are SET name = expression and REMOVE name/,
    );
    expect((await allRules(rules)).map((r) => r.name)).toEqual(["$Default"]);
  });
});
