import {
  isServiceBusError,
  type RuleProperties,
  type ServiceBusRuleManager,
} from "@azure/service-bus";
import { drainBodies, startTestEmulator, type TestEmulator } from "./testing/testEmulator";

describe("subscription rules through the SDK's ServiceBusRuleManager ($management)", () => {
  let sb: TestEmulator;

  beforeAll(async () => {
    sb = await startTestEmulator({
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
    });
  });

  afterAll(() => sb.close());

  async function allRules(rules: ServiceBusRuleManager): Promise<RuleProperties[]> {
    const out: RuleProperties[] = [];
    for await (const r of rules.listRules()) out.push(r);
    return out;
  }

  it("lists the $Default rule of a new subscription and a declared SQL rule", async () => {
    const listed = await allRules(sb.client.createRuleManager("catalog", "listed"));
    expect(listed).toEqual([{ name: "$Default", filter: { sqlExpression: "1=1" }, action: {} }]);
    const declared = await allRules(sb.client.createRuleManager("catalog", "declared"));
    expect(declared).toEqual([
      { name: "eu", filter: { sqlExpression: "region = 'eu'" }, action: {} },
    ]);
  });

  it("adds a SQL rule, removes $Default, and the subscription filters by it", async () => {
    const rules = sb.client.createRuleManager("sql", "s");
    await rules.createRule("big", { sqlExpression: "amount > 100" });
    await rules.deleteRule("$Default");
    const names: string[] = [];
    for await (const r of rules.listRules()) names.push(r.name);
    expect(names).toEqual(["big"]);
    await sb.client.createSender("sql").sendMessages([
      { body: "small", applicationProperties: { amount: 5 } },
      { body: "large", applicationProperties: { amount: 500 } },
    ]);
    const receiver = sb.client.createReceiver("sql", "s");
    expect(await drainBodies(receiver)).toEqual(["large"]);
    await receiver.close();
  });

  it("adds a correlation rule with application properties and lists it back", async () => {
    const rules = sb.client.createRuleManager("correlation", "s");
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
    await sb.client.createSender("correlation").sendMessages([
      {
        body: "match",
        subject: "OrderPlaced",
        contentType: "application/json",
        applicationProperties: { type: "OrderPlaced", version: 2 },
      },
      { body: "other subject", subject: "OrderShipped", contentType: "application/json" },
    ]);
    const receiver = sb.client.createReceiver("correlation", "s");
    expect(await drainBodies(receiver)).toEqual(["match"]);
    await receiver.close();
  });

  it("a rule with a SQL action gives its own copy, changed by SET and REMOVE", async () => {
    const rules = sb.client.createRuleManager("actions", "s");
    await rules.createRule(
      "flag",
      { sqlExpression: "priority = 'high'" },
      { sqlExpression: "SET urgent = TRUE; SET note = 'p-' + priority; REMOVE secret" },
    );
    const listed = await allRules(rules);
    expect(listed.find((r) => r.name === "flag")?.action).toEqual({
      sqlExpression: "SET urgent = TRUE; SET note = 'p-' + priority; REMOVE secret",
    });
    await sb.client
      .createSender("actions")
      .sendMessages({ body: "hot", applicationProperties: { priority: "high", secret: "s" } });
    const receiver = sb.client.createReceiver("actions", "s");
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
    const rules = sb.client.createRuleManager("closed", "s");
    await rules.createRule("none", { sqlExpression: "1=0" });
    await rules.deleteRule("$Default");
    await sb.client.createSender("closed").sendMessages({ body: "dropped" });
    const receiver = sb.client.createReceiver("closed", "s");
    expect(await drainBodies(receiver)).toEqual([]);
    await receiver.close();
  });

  it("answers the service's errors: a taken name, a missing rule, a filter it cannot parse", async () => {
    const rules = sb.client.createRuleManager("catalog", "listed");
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
