/**
 * A message written to an instance's inbox while the engine reads that inbox for the first
 * time in its process. After a host restart that is the common case: the engine resumes every
 * running instance while the Service Bus trigger drains the replies that waited in the queue,
 * and each relayed reply is raised on an instance whose first episode may be reading. The
 * engine mirrors the inbox from that first read; an event written meanwhile must not be left
 * out of the mirror (the order saga then waited for a reply it had been given and timed out).
 *
 * The fixture app runs in this process so that the race can be placed exactly: the store's
 * first read of the instance's inbox returns only after an event has been raised through the
 * management API and written to Azurite.
 */
import { LogWriter } from "../host/logger";
import { startHost, type RunningHost } from "../host/startHost";
import { DurableStore } from "./durableStore";
import { DurableTestClient } from "./testing/durableTestClient";
import { FIXTURE_DIR, FIXTURE_ENTRY } from "./testing/fixtureHost";
import { startAzuriteTables, type AzuriteTables } from "./testing/startAzurite";

let azurite: AzuriteTables;
let host: RunningHost | undefined;

beforeAll(async () => {
  azurite = await startAzuriteTables();
});

afterAll(async () => {
  jest.restoreAllMocks();
  await host?.stop();
  await azurite?.stop();
});

it("delivers an event raised while the instance's inbox is first read", async () => {
  host = await startHost({
    appDirectory: FIXTURE_DIR,
    entry: FIXTURE_ENTRY,
    port: 0,
    env: { ...process.env, AzureWebJobsStorage: azurite.connectionString },
    skipLocalSettings: true,
    log: new LogWriter({ write: () => undefined }),
  });
  const client = new DurableTestClient(host.baseUrl);
  const instanceId = "first-read-race";
  let raisedDuringRead: number | undefined;
  const read = DurableStore.prototype.readInbox;
  jest.spyOn(DurableStore.prototype, "readInbox").mockImplementation(async function (
    this: DurableStore,
    id: string,
  ) {
    const messages = await read.call(this, id);
    if (id === instanceId && raisedDuringRead === undefined) {
      // The read has been answered; the event lands after it, before the engine sees it.
      raisedDuringRead = await client.raise(instanceId, "A", "first");
    }
    return messages;
  });

  await client.startId("Events", undefined, instanceId);
  await client.until(instanceId, (body) => body.runtimeStatus === "Running");
  expect(raisedDuringRead).toBe(202);
  expect(await client.raise(instanceId, "B", "second")).toBe(202);
  expect(await client.raise(instanceId, "A", "third")).toBe(202);

  const status = await client.finished(instanceId);
  expect(status.runtimeStatus).toBe("Completed");
  expect(status.output).toEqual(["first", "second", "third"]);
});
