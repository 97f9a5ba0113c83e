import type { ServiceBusClient } from "@azure/service-bus";
import { startTestEmulator, type TestEmulator } from "./testing/testEmulator";

/**
 * com.microsoft:get-message-sessions. @azure/service-bus 7.9 sends it from its management
 * client (`listMessageSessions(skip, top, lastUpdatedTime)`) without a public method on the
 * receivers, so the test calls that client as the SDK's own tests do.
 */
interface SessionLister {
  listMessageSessions(skip: number, top: number, lastUpdatedTime?: Date): Promise<string[]>;
}

function managementClient(client: ServiceBusClient, entityPath: string): SessionLister {
  const context = (
    client as unknown as {
      _connectionContext: { getManagementClient(path: string): SessionLister };
    }
  )._connectionContext;
  return context.getManagementClient(entityPath);
}

/** .NET's DateTime.MaxValue: "sessions with messages", as the Java and .NET clients ask. */
const DATETIME_MAX = new Date(253402300800000);

describe("listing message sessions ($management get-message-sessions)", () => {
  let sb: TestEmulator;

  beforeAll(async () => {
    sb = await startTestEmulator({ queues: { orders: { RequiresSession: true } } });
  });

  afterAll(() => sb.close());

  it("lists sessions with messages, then those whose state changed, paging by skip and top", async () => {
    const before = new Date(Date.now() - 1000);
    await sb.client.createSender("orders").sendMessages([
      { body: 1, sessionId: "b" },
      { body: 2, sessionId: "a" },
      { body: 3, sessionId: "c" },
    ]);
    const mgmt = managementClient(sb.client, "orders");
    expect(await mgmt.listMessageSessions(0, 10, DATETIME_MAX)).toEqual(["a", "b", "c"]);
    expect(await mgmt.listMessageSessions(1, 1, DATETIME_MAX)).toEqual(["b"]);
    expect(await mgmt.listMessageSessions(3, 10, DATETIME_MAX)).toEqual([]);
    // The SDK's default: what changed in the last three days.
    expect(await mgmt.listMessageSessions(0, 10)).toEqual(["a", "b", "c"]);

    // Session "a" is emptied but keeps state: it leaves the "with messages" list and stays
    // in the "updated since" one.
    const receiver = await sb.client.acceptSession("orders", "a");
    const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 3000 });
    await receiver.completeMessage(m!);
    const stateSetAfter = new Date();
    await receiver.setSessionState("step 2");
    await receiver.close();
    expect(await mgmt.listMessageSessions(0, 10, DATETIME_MAX)).toEqual(["b", "c"]);
    expect(await mgmt.listMessageSessions(0, 10, before)).toEqual(["a", "b", "c"]);
    expect(await mgmt.listMessageSessions(0, 10, new Date(stateSetAfter.getTime() - 1))).toEqual([
      "a",
    ]);
  });
});
