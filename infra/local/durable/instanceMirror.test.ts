/**
 * The instance mirror against an in-memory store, with reads and writes interleaved exactly.
 * The same two races run end to end against Azurite in `mirrorReadRace.test.ts`.
 */
import { eventRaised, taskCompleted } from "./historyEvents";
import { answerKey, bySeq, InboxMessages } from "./inboxMessages";
import { pendingRecord } from "./instanceRecords";
import { InstanceMirror } from "./instanceMirror";
import type { InboxMessage, InstanceRecord } from "./taskHubStore";
import { InMemoryRowStore } from "./testing/inMemoryRowStore";

const T0 = "2026-01-01T00:00:00.000Z";
const ID = "i1";

let store: InMemoryRowStore;
let mirror: InstanceMirror;
const messages = new InboxMessages();

beforeEach(() => {
  store = new InMemoryRowStore();
  mirror = new InstanceMirror(store);
});

afterEach(() => {
  jest.restoreAllMocks();
});

function raised(value: string): InboxMessage {
  return messages.raisedEvent(eventRaised(T0, "A", JSON.stringify(value)));
}

async function storedRecord(): Promise<InstanceRecord> {
  await store.createInstance(
    pendingRecord(undefined, { instanceId: ID, name: "O", input: "1" }, T0),
  );
  return (await store.getInstance(ID)) as InstanceRecord;
}

/** Makes the store's next `method` call answer what it read, but only after `during` ran. */
function writeDuringNextRead(method: "getInstance" | "readInbox", during: () => Promise<void>) {
  const read = store[method].bind(store) as (id: string) => Promise<unknown>;
  return jest.spyOn(store, method).mockImplementationOnce(async (id: string) => {
    const answer = await read(id);
    await during();
    return answer as never;
  });
}

describe("InstanceMirror", () => {
  it("reads a row and an inbox from storage once, then answers copies from memory", async () => {
    await storedRecord();
    await store.putInbox(ID, [raised("a")]);
    const getInstance = jest.spyOn(store, "getInstance");
    const readInbox = jest.spyOn(store, "readInbox");

    const first = (await mirror.readRecord(ID)) as InstanceRecord;
    first.runtimeStatus = "Failed";
    expect((await mirror.readRecord(ID))?.runtimeStatus).toBe("Pending");
    expect(await mirror.readInbox(ID)).toEqual(await mirror.readInbox(ID));
    expect(getInstance).toHaveBeenCalledTimes(1);
    expect(readInbox).toHaveBeenCalledTimes(1);
  });

  it("follows its own writes without reading storage again, in delivery order", async () => {
    const early = raised("early");
    const late = raised("late");
    expect(await mirror.readInbox(ID)).toEqual([]);
    const readInbox = jest.spyOn(store, "readInbox");
    await mirror.putInbox(ID, [late]);
    await mirror.putInbox(ID, [early]);
    expect((await mirror.readInbox(ID)).map((m) => m.key)).toEqual([early.key, late.key]);
    await mirror.deleteInbox(ID, [early.key]);
    expect(await mirror.readInbox(ID)).toEqual([late]);
    expect(await store.readInbox(ID)).toEqual([late]);
    expect(readInbox).toHaveBeenCalledTimes(1);
  });

  describe("a write that lands during the first read of an instance", () => {
    it("is in the inbox: a message put while the inbox was read is not lost", async () => {
      const before = raised("before");
      const during = raised("during");
      await store.putInbox(ID, [before]);
      const read = writeDuringNextRead("readInbox", () => mirror.putInbox(ID, [during]));

      expect(await mirror.readInbox(ID)).toEqual([before, during]);
      expect(read).toHaveBeenCalledTimes(2);
      expect(await mirror.readInbox(ID)).toEqual([before, during]);
    });

    it("is in the row: a row read before a commit landed over it is not mirrored", async () => {
      const row = await storedRecord();
      const committed = { ...row, runtimeStatus: "Running" as const, historyLength: 5 };
      const read = writeDuringNextRead("getInstance", async () => {
        expect(await mirror.writeRecord(committed, false)).toBe(true);
      });

      expect((await mirror.readRecord(ID))?.historyLength).toBe(5);
      expect(read).toHaveBeenCalledTimes(1);
      expect((await mirror.readRecord(ID))?.historyLength).toBe(5);
    });

    it("counts even when its answer was lost: the read is done again", async () => {
      const row = await storedRecord();
      const during = raised("during");
      const replace = store.replaceInstance.bind(store);
      const put = store.putInbox.bind(store);
      jest.spyOn(store, "replaceInstance").mockImplementationOnce(async (record) => {
        await replace(record);
        throw new Error("connection reset (injected)");
      });
      jest.spyOn(store, "putInbox").mockImplementationOnce(async (id, list) => {
        await put(id, list);
        throw new Error("connection reset (injected)");
      });
      const committed = { ...row, historyLength: 7 };
      const getInstance = writeDuringNextRead("getInstance", () =>
        expect(mirror.writeRecord(committed, false)).rejects.toThrow("injected"),
      );
      const readInbox = writeDuringNextRead("readInbox", () =>
        expect(mirror.putInbox(ID, [during])).rejects.toThrow("injected"),
      );

      expect((await mirror.readRecord(ID))?.historyLength).toBe(7);
      expect(getInstance).toHaveBeenCalledTimes(2);
      expect(await mirror.readInbox(ID)).toEqual([during]);
      expect(readInbox).toHaveBeenCalledTimes(2);
    });
  });

  it("drops a row whose replace lost the race, so the next read sees the winner", async () => {
    const row = await storedRecord();
    expect(await mirror.readRecord(ID)).toEqual(row);
    const winner = { ...row, runtimeStatus: "Completed" as const };
    expect(await store.replaceInstance(winner)).toBe(true);

    expect(await mirror.writeRecord({ ...row, runtimeStatus: "Running" }, false)).toBe(false);
    expect((await mirror.readRecord(ID))?.runtimeStatus).toBe("Completed");
  });

  it("refuses to create a row over a taken id", async () => {
    const row = await storedRecord();
    expect(await mirror.writeRecord({ ...row, etag: undefined }, true)).toBe(false);
    expect(await mirror.readRecord(ID)).toEqual(row);
  });

  it("asks storage to delete only the messages its mirror holds", async () => {
    const kept = raised("kept");
    await store.putInbox(ID, [kept]);
    await mirror.readInbox(ID);
    const deleteInbox = jest.spyOn(store, "deleteInbox");

    const gone = answerKey(0, 9);
    await mirror.deleteInbox(ID, [gone]);
    expect(deleteInbox).not.toHaveBeenCalled();
    await mirror.deleteInbox(ID, [kept.key, gone]);
    expect(deleteInbox).toHaveBeenCalledWith(ID, [kept.key]);
    expect(await mirror.readInbox(ID)).toEqual([]);
  });

  it("reads storage again after forgetting an instance, and after deleting it", async () => {
    const row = await storedRecord();
    await mirror.readRecord(ID);
    await store.replaceInstance({ ...row, runtimeStatus: "Running" });
    expect((await mirror.readRecord(ID))?.runtimeStatus).toBe("Pending");
    mirror.forget(ID);
    expect((await mirror.readRecord(ID))?.runtimeStatus).toBe("Running");

    await mirror.putInbox(ID, [raised("x")]);
    await mirror.deleteInstance(ID);
    expect(await mirror.readRecord(ID)).toBeUndefined();
    expect(await mirror.readInbox(ID)).toEqual([]);
    expect(await store.getInstance(ID)).toBeUndefined();
  });

  describe("answers held in memory", () => {
    const answer = (taskId: number) => messages.answer(1, taskCompleted(T0, taskId, "null"));

    it("delivers a held answer with the stored messages and never writes it to storage", async () => {
      await storedRecord();
      await store.putInbox(ID, [raised("a")]);
      const putInbox = jest.spyOn(store, "putInbox");
      const deleteInbox = jest.spyOn(store, "deleteInbox");
      const held = answer(0);

      expect(mirror.hold(ID, [held])).toBe(true);
      const inbox = await mirror.readInbox(ID);
      expect(inbox.map((m) => m.key)).toEqual(
        [...(await store.readInbox(ID)), held].sort(bySeq).map((m) => m.key),
      );
      await mirror.deleteInbox(ID, [held.key]);
      expect(await mirror.readInbox(ID)).toHaveLength(1);
      expect(putInbox).not.toHaveBeenCalled();
      expect(deleteInbox).not.toHaveBeenCalled();
    });

    it("keeps a held answer when another host's write drops the mirror", async () => {
      await storedRecord();
      mirror.hold(ID, [answer(0)]);
      mirror.touched(ID);
      expect((await mirror.readInbox(ID)).map((m) => m.key)).toEqual([answer(0).key]);
    });

    it("drops held answers with the partition, so the next owner runs the activity again", async () => {
      await storedRecord();
      mirror.hold(ID, [answer(0)]);
      mirror.forgetWhere((id) => id === ID);
      expect(await mirror.readInbox(ID)).toEqual([]);
    });

    it("holds nothing for an instance this host does not own", async () => {
      const notOwned = new InstanceMirror(store, () => false);
      expect(notOwned.hold(ID, [answer(0)])).toBe(false);
      expect(await notOwned.readInbox(ID)).toEqual([]);
    });
  });
});
