import { ServiceBusAdministrationClient, type ServiceBusClient } from "@azure/service-bus";
import { drainBodies, startTestEmulator, type TestEmulator } from "./testing/testEmulator";

/** The RestError code a failed administration call carried. */
async function codeOf(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => "no error",
    (e: unknown) => (e as { code?: unknown }).code,
  );
}

describe("ServiceBusAdministrationClient against the emulator", () => {
  let sb: TestEmulator;
  let admin: ServiceBusAdministrationClient;
  let client: ServiceBusClient;

  beforeAll(async () => {
    sb = await startTestEmulator({
      queues: { declared: {} },
      topics: { "declared-topic": { subscriptions: { audit: {} } } },
    });
    client = sb.client;
    // The unmodified client, with the emulator's connection string: it sends its requests to
    // https://127.0.0.1:<port>/; tlsOptions.ca trusts the emulator's certificate.
    admin = new ServiceBusAdministrationClient(sb.emulator.connectionString, {
      tlsOptions: { ca: await sb.emulator.certificatePem() },
    });
  });

  afterAll(() => sb.close());

  it("reads the namespace properties", async () => {
    const ns = await admin.getNamespaceProperties();
    expect(ns).toMatchObject({ name: "sbemulatorns", messagingSku: "Standard" });
    expect(ns.createdAt).toBeInstanceOf(Date);
  });

  it("creates, reads, updates, lists and deletes a queue", async () => {
    const created = await admin.createQueue("made", {
      lockDuration: "PT45S",
      maxDeliveryCount: 4,
      deadLetteringOnMessageExpiration: true,
      userMetadata: "made at run time",
    });
    expect(created).toMatchObject({
      name: "made",
      lockDuration: "PT45S",
      maxDeliveryCount: 4,
      deadLetteringOnMessageExpiration: true,
      requiresSession: false,
      userMetadata: "made at run time",
      defaultMessageTimeToLive: "P10675199DT2H48M5.4775807S",
      status: "Active",
    });
    expect(await admin.queueExists("made")).toBe(true);
    const read = await admin.getQueue("made");
    expect(read.maxDeliveryCount).toBe(4);
    const updated = await admin.updateQueue({ ...read, maxDeliveryCount: 7 });
    expect(updated.maxDeliveryCount).toBe(7);
    expect((await admin.getQueue("made")).maxDeliveryCount).toBe(7);
    const names: string[] = [];
    for await (const q of admin.listQueues()) names.push(q.name);
    expect(names).toEqual(["declared", "made"]);
    await admin.deleteQueue("made");
    expect(await admin.queueExists("made")).toBe(false);
    expect(await codeOf(admin.getQueue("made"))).toBe("MessageEntityNotFoundError");
    expect(await codeOf(admin.deleteQueue("made"))).toBe("MessageEntityNotFoundError");
  });

  it("answers the service's errors: a name in use, a property that cannot change", async () => {
    expect(await codeOf(admin.createQueue("declared"))).toBe("MessageEntityAlreadyExistsError");
    // Queues and topics share one namespace of names.
    expect(await codeOf(admin.createTopic("declared"))).toBe("MessageEntityAlreadyExistsError");
    const q = await admin.getQueue("declared");
    expect(await codeOf(admin.updateQueue({ ...q, requiresSession: true }))).toBe("ServiceError");
    expect(await codeOf(admin.updateQueue({ ...q, name: "missing" }))).toBe(
      "MessageEntityNotFoundError",
    );
  });

  it("pages lists with maxPageSize", async () => {
    for (const name of ["p1", "p2", "p3"]) await admin.createQueue(name);
    const pages: string[][] = [];
    for await (const page of admin.listQueues().byPage({ maxPageSize: 2 })) {
      pages.push(page.map((q) => q.name));
    }
    expect(pages).toEqual([
      ["declared", "p1"],
      ["p2", "p3"],
    ]);
    for (const name of ["p1", "p2", "p3"]) await admin.deleteQueue(name);
  });

  it("reports runtime counts: active, dead-lettered, scheduled, size", async () => {
    await admin.createQueue("counted");
    const sender = client.createSender("counted");
    await sender.sendMessages([{ body: "a" }, { body: "b" }, { body: "c" }]);
    await sender.scheduleMessages({ body: "later" }, new Date(Date.now() + 3_600_000));
    const receiver = client.createReceiver("counted");
    const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 3000 });
    await receiver.deadLetterMessage(m!, {
      deadLetterReason: "r",
      deadLetterErrorDescription: "d",
    });
    await receiver.close();
    const runtime = await admin.getQueueRuntimeProperties("counted");
    expect(runtime).toMatchObject({
      name: "counted",
      activeMessageCount: 2,
      deadLetterMessageCount: 1,
      scheduledMessageCount: 1,
      transferMessageCount: 0,
      transferDeadLetterMessageCount: 0,
      totalMessageCount: 4,
    });
    expect(runtime.sizeInBytes).toBeGreaterThan(0);
    const listed: string[] = [];
    for await (const r of admin.listQueuesRuntimeProperties()) {
      listed.push(`${r.name}:${r.activeMessageCount}`);
    }
    expect(listed).toContain("counted:2");
    await admin.deleteQueue("counted");
  });

  it("a queue made at run time takes messages, and its settings apply", async () => {
    await admin.createQueue("runtime", { maxDeliveryCount: 1 });
    await client.createSender("runtime").sendMessages({ body: "once" });
    const receiver = client.createReceiver("runtime");
    const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 3000 });
    expect(m?.body).toBe("once");
    // MaxDeliveryCount 1: one abandon dead-letters it.
    await receiver.abandonMessage(m!);
    await receiver.close();
    expect((await admin.getQueueRuntimeProperties("runtime")).deadLetterMessageCount).toBe(1);
    await admin.deleteQueue("runtime");
  });

  it("deleting a queue detaches its receivers", async () => {
    await admin.createQueue("doomed");
    const receiver = client.createReceiver("doomed");
    const waiting = receiver.receiveMessages(1, { maxWaitTimeInMs: 10000 });
    await admin.deleteQueue("doomed");
    await expect(waiting).rejects.toMatchObject({ code: "MessagingEntityNotFound" });
    await receiver.close();
  });

  it("creates, reads, updates, lists and deletes topics and subscriptions", async () => {
    const topic = await admin.createTopic("events", { defaultMessageTimeToLive: "PT1H" });
    expect(topic).toMatchObject({ name: "events", defaultMessageTimeToLive: "PT1H" });
    const updatedTopic = await admin.updateTopic({ ...topic, defaultMessageTimeToLive: "PT2H" });
    expect(updatedTopic.defaultMessageTimeToLive).toBe("PT2H");
    const topics: string[] = [];
    for await (const t of admin.listTopics()) topics.push(t.name);
    expect(topics).toEqual(["declared-topic", "events"]);

    const sub = await admin.createSubscription("events", "all", { maxDeliveryCount: 3 });
    expect(sub).toMatchObject({
      topicName: "events",
      subscriptionName: "all",
      maxDeliveryCount: 3,
    });
    const updated = await admin.updateSubscription({ ...sub, lockDuration: "PT20S" });
    expect(updated.lockDuration).toBe("PT20S");
    await admin.createSubscription("events", "big", {
      defaultRuleOptions: { name: "big-only", filter: { sqlExpression: "amount > 10" } },
    });
    const subs: string[] = [];
    for await (const s of admin.listSubscriptions("events")) subs.push(s.subscriptionName);
    expect(subs).toEqual(["all", "big"]);
    expect(await admin.subscriptionExists("events", "big")).toBe(true);

    await client.createSender("events").sendMessages([
      { body: "small", applicationProperties: { amount: 1 } },
      { body: "large", applicationProperties: { amount: 99 } },
    ]);
    const runtime = await admin.getTopicRuntimeProperties("events");
    expect(runtime.subscriptionCount).toBe(2);
    expect(await admin.getSubscriptionRuntimeProperties("events", "all")).toMatchObject({
      activeMessageCount: 2,
      totalMessageCount: 2,
    });
    const big = client.createReceiver("events", "big");
    expect(await drainBodies(big)).toEqual(["large"]);
    await big.close();

    await admin.deleteSubscription("events", "big");
    expect(await codeOf(admin.getSubscription("events", "big"))).toBe("MessageEntityNotFoundError");
    await admin.deleteTopic("events");
    expect(await admin.topicExists("events")).toBe(false);
    expect(await codeOf(admin.getSubscription("events", "all"))).toBe("MessageEntityNotFoundError");
  });

  it("creates, reads, updates, lists and deletes rules, and they filter", async () => {
    await admin.createTopic("routed");
    await admin.createSubscription("routed", "s");
    const sql = await admin.createRule(
      "routed",
      "s",
      "threshold",
      { sqlExpression: "amount > @min", sqlParameters: { "@min": 10 } },
      { sqlExpression: "SET checked = 'yes'" },
    );
    expect(sql).toMatchObject({
      name: "threshold",
      filter: { sqlExpression: "amount > @min", sqlParameters: { "@min": 10 } },
      action: { sqlExpression: "SET checked = 'yes'" },
    });
    const correlation = await admin.createRule("routed", "s", "vip", {
      correlationId: "vip",
      applicationProperties: { tier: "gold" },
    });
    expect(correlation.filter).toMatchObject({
      correlationId: "vip",
      applicationProperties: { tier: "gold" },
    });
    await admin.deleteRule("routed", "s", "$Default");
    const names: string[] = [];
    for await (const r of admin.listRules("routed", "s")) names.push(r.name);
    expect(names).toEqual(["threshold", "vip"]);
    const got = await admin.getRule("routed", "s", "vip");
    const updated = await admin.updateRule("routed", "s", {
      ...got,
      filter: { correlationId: "vip", applicationProperties: { tier: "platinum" } },
    });
    expect(updated.filter).toMatchObject({ applicationProperties: { tier: "platinum" } });
    expect(await admin.ruleExists("routed", "s", "$Default")).toBe(false);

    await client.createSender("routed").sendMessages([
      { body: "low", applicationProperties: { amount: 1 } },
      { body: "high", applicationProperties: { amount: 50 } },
      { body: "gold", correlationId: "vip", applicationProperties: { tier: "gold" } },
      { body: "platinum", correlationId: "vip", applicationProperties: { tier: "platinum" } },
    ]);
    const receiver = client.createReceiver("routed", "s");
    const received = await receiver.receiveMessages(2, { maxWaitTimeInMs: 3000 });
    while (received.length < 2) {
      const more = await receiver.receiveMessages(1, { maxWaitTimeInMs: 3000 });
      if (more.length === 0) break;
      received.push(...more);
    }
    const seen = received.map((m): [unknown, unknown] => [
      m.body,
      m.applicationProperties?.checked,
    ]);
    expect(seen.sort()).toEqual([
      ["high", "yes"],
      ["platinum", undefined],
    ]);
    for (const m of received) await receiver.completeMessage(m);
    await receiver.close();

    await admin.deleteRule("routed", "s", "vip");
    expect(await codeOf(admin.getRule("routed", "s", "vip"))).toBe("MessageEntityNotFoundError");
    expect(
      await codeOf(admin.createRule("routed", "s", "threshold", { sqlExpression: "1=1" })),
    ).toBe("MessageEntityAlreadyExistsError");
    expect(await codeOf(admin.createRule("routed", "s", "broken", { sqlExpression: "a >" }))).toBe(
      "ServiceError",
    );
    await admin.deleteTopic("routed");
  });

  it("answers plain HTTP on the same port too (curl, other clients)", async () => {
    const url = `http://127.0.0.1:${sb.emulator.port}/$Resources/Queues?api-version=2021-05`;
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const feed = await res.text();
    expect(feed).toMatch(/^<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
    expect(feed).toContain('<title type="text">declared</title>');
    const missing = await fetch(`http://127.0.0.1:${sb.emulator.port}/nope`, { method: "DELETE" });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(/^<Error><Code>404<\/Code><Detail>The messaging entity/);
  });

  it("reads entities declared in the topology file like those made at run time", async () => {
    expect(await admin.getQueue("declared")).toMatchObject({
      name: "declared",
      lockDuration: "PT30S",
      maxDeliveryCount: 3,
    });
    const rules: string[] = [];
    for await (const r of admin.listRules("declared-topic", "audit")) rules.push(r.name);
    expect(rules).toEqual(["$Default"]);
  });
});
