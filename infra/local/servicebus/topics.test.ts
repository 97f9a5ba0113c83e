import Long from "long";
import { ServiceBusClient, type ServiceBusMessage } from "@azure/service-bus";
import { startServiceBusEmulator, type ServiceBusEmulator } from "./index";
import { testTopology } from "./testing/topology";

describe("topics and filters through @azure/service-bus", () => {
  let emulator: ServiceBusEmulator;
  let client: ServiceBusClient;

  beforeAll(async () => {
    emulator = await startServiceBusEmulator({
      port: 0,
      config: testTopology({
        topics: {
          events: {
            subscriptions: {
              all: {},
              "by-property": {
                rules: [{ name: "placed", correlation: { Properties: { type: "OrderPlaced" } } }],
              },
              "by-system": {
                rules: [
                  { name: "sys", correlation: { Label: "OrderShipped", CorrelationId: "o-2" } },
                ],
              },
              "sql-app": { rules: [{ name: "big", sql: "type = 'OrderPlaced' AND amount > 100" }] },
              "sql-sys": {
                rules: [
                  {
                    name: "sys",
                    sql: "sys.Label LIKE 'Order%' AND sys.CorrelationId IN ('o-1', 'o-3') AND NOT (region IS NULL)",
                  },
                ],
              },
              "sql-exists": { rules: [{ name: "e", sql: "EXISTS(priority) OR sys.To = 'ops'" }] },
              "two-rules": {
                rules: [
                  { name: "a", sql: "amount <= 10" },
                  { name: "b", sql: "region <> 'eu' AND amount >= 500" },
                ],
              },
            },
          },
        },
      }),
    });
    client = new ServiceBusClient(emulator.connectionString);
    const messages: ServiceBusMessage[] = [
      {
        body: 1,
        subject: "OrderPlaced",
        correlationId: "o-1",
        applicationProperties: { type: "OrderPlaced", amount: 150, region: "eu" },
      },
      {
        body: 2,
        subject: "OrderShipped",
        correlationId: "o-2",
        applicationProperties: { type: "OrderShipped", amount: 5 },
      },
      {
        body: 3,
        subject: "OrderPlaced",
        correlationId: "o-3",
        applicationProperties: { type: "OrderPlaced", amount: 50, priority: 1 },
      },
      {
        body: 4,
        subject: "Other",
        correlationId: "o-1",
        to: "ops",
        applicationProperties: { type: "Other", amount: 900, region: "us" },
      },
    ];
    await client.createSender("events").sendMessages(messages);
  });

  afterAll(async () => {
    await client.close();
    await emulator.close();
  });

  async function bodies(subscription: string): Promise<unknown[]> {
    const receiver = client.createReceiver("events", subscription);
    // The SDK keeps one peek cursor per entity; start from the first sequence number each time.
    const peeked = await receiver.peekMessages(10, { fromSequenceNumber: Long.fromNumber(1) });
    await receiver.close();
    return peeked.map((m): unknown => m.body);
  }

  it("fans every message out to a subscription without rules", async () => {
    expect(await bodies("all")).toEqual([1, 2, 3, 4]);
  });

  it("correlation filter on an application property", async () => {
    expect(await bodies("by-property")).toEqual([1, 3]);
  });

  it("correlation filter on system properties (Label = subject, CorrelationId)", async () => {
    expect(await bodies("by-system")).toEqual([2]);
  });

  it("SQL filter over application properties with AND and >", async () => {
    expect(await bodies("sql-app")).toEqual([1]);
  });

  it("SQL filter over system properties with LIKE, IN, NOT and IS NULL", async () => {
    expect(await bodies("sql-sys")).toEqual([1]);
  });

  it("SQL filter with EXISTS and OR", async () => {
    expect(await bodies("sql-exists")).toEqual([3, 4]);
  });

  it("a message matching any of several rules is copied once", async () => {
    expect(await bodies("two-rules")).toEqual([2, 4]);
  });

  it("each subscription settles its own copy", async () => {
    const receiver = client.createReceiver("events", "by-property");
    const got = await receiver.receiveMessages(2, { maxWaitTimeInMs: 3000 });
    for (const m of got) await receiver.completeMessage(m);
    expect(await receiver.peekMessages(10)).toHaveLength(0);
    await receiver.close();
    expect(await bodies("all")).toEqual([1, 2, 3, 4]);
  });
});
