/**
 * The engine mirrors an instance's row and inbox in memory from the first read of them in its
 * process. A write to that instance which completes while such a read is under way must not
 * be hidden by the mirror:
 * - a message put in the inbox during its first read. After a host restart that is the common
 *   case: the engine resumes every running instance while the Service Bus trigger drains the
 *   replies that waited in the queue, and a relayed reply raised on an instance whose first
 *   episode was reading was never delivered (the order saga timed out waiting for it);
 * - an episode's commit landing while the row is read (after an episode failure made the
 *   engine forget it): the stale row made the next episode replay a truncated history and
 *   write over the committed events.
 *
 * The fixture app runs in this process so that each race can be placed exactly, by holding a
 * real store read (against Azurite) until the conflicting write has landed.
 */
import { LogWriter } from "../host/logger";
import { startHost, type RunningHost } from "../host/startHost";
import { DurableStore } from "./durableStore";
import { DurableTestClient, eventually } from "./testing/durableTestClient";
import { FIXTURE_DIR, FIXTURE_ENTRY } from "./testing/fixtureHost";
import { startAzuriteTables, type AzuriteTables } from "./testing/startAzurite";

let azurite: AzuriteTables;
let host: RunningHost | undefined;

beforeAll(async () => {
  azurite = await startAzuriteTables();
});

afterEach(() => {
  jest.restoreAllMocks();
});

afterAll(async () => {
  await host?.stop();
  await azurite?.stop();
});

async function running(): Promise<{ host: RunningHost; client: DurableTestClient }> {
  host ??= await startHost({
    appDirectory: FIXTURE_DIR,
    entry: FIXTURE_ENTRY,
    port: 0,
    env: { ...process.env, AzureWebJobsStorage: azurite.connectionString },
    skipLocalSettings: true,
    log: new LogWriter({ write: () => undefined }),
  });
  return { host, client: new DurableTestClient(host.baseUrl, host.systemKey) };
}

it("delivers an event raised while the instance's inbox is first read", async () => {
  const { client } = await running();
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

it("does not mirror an instance row read before an episode committed over it", async () => {
  const { client } = await running();
  const instanceId = "stale-row-race";
  await client.startId("Events", undefined, instanceId);
  await client.until(instanceId, (body) => body.runtimeStatus === "Running");

  // The episode delivering A fails once, so the engine forgets what it mirrored and retries.
  let failed = false;
  const writeHistory = DurableStore.prototype.writeHistory;
  jest.spyOn(DurableStore.prototype, "writeHistory").mockImplementation(function (
    this: DurableStore,
    id: string,
    ...rest
  ) {
    if (id !== instanceId || failed) return writeHistory.call(this, id, ...rest);
    failed = true;
    return Promise.reject(new Error("storage unavailable (injected)"));
  });
  // The next read of the row (raising B) answers with the row as it was before the retried
  // episode committed A.
  let stale: "armed" | "served" | undefined;
  const getInstance = DurableStore.prototype.getInstance;
  jest.spyOn(DurableStore.prototype, "getInstance").mockImplementation(async function (
    this: DurableStore,
    id: string,
  ) {
    const row = await getInstance.call(this, id);
    if (id !== instanceId || stale !== "armed" || !row) return row;
    stale = "served";
    const deadline = Date.now() + 10_000;
    for (;;) {
      const now = await getInstance.call(this, id);
      if ((now?.historyLength ?? 0) > row.historyLength || Date.now() > deadline) return row;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  expect(await client.raise(instanceId, "A", "first")).toBe(202);
  await eventually(() => failed);
  stale = "armed";
  expect(await client.raise(instanceId, "B", "second")).toBe(202);
  expect(stale).toBe("served");
  expect(await client.raise(instanceId, "A", "third")).toBe(202);

  const status = await client.finished(instanceId);
  expect(status.runtimeStatus).toBe("Completed");
  expect(status.output).toEqual(["first", "second", "third"]);
});
