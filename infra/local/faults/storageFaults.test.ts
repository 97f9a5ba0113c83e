import net from "node:net";
import { TableClient } from "@azure/data-tables";
import { startStandIns, type RunningStandIns } from "../testing/startStandIns";

let standIns: RunningStandIns;

/** How a fresh TCP connection to Azurite's table port ends: connected, or the error code. */
function connectTo(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      // An accepted connection may still be reset at once (reset mode): wait for a verdict.
      socket.once("close", () => resolve("closed"));
      socket.once("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "error"));
      setTimeout(() => {
        socket.destroy();
        resolve("connected");
      }, 200);
    });
    socket.once("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "error"));
  });
}

function table(maxRetries: number): TableClient {
  return TableClient.fromConnectionString(
    standIns.settings.AzureWebJobsStorage as string,
    "faults",
    { allowInsecureConnection: true, retryOptions: { maxRetries, retryDelayInMs: 100 } },
  );
}

async function control(method: "POST" | "DELETE", path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${standIns.faults?.url}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  standIns = await startStandIns({ cosmos: false, serviceBus: false, faults: true });
  await table(3).createTable();
});

afterEach(() => control("DELETE", "/faults"));

afterAll(() => standIns.stop());

describe("storage outage", () => {
  it("refuses connections to every Azurite port while it lasts, then serves again", async () => {
    const azurite = standIns.azurite!;
    await control("POST", "/faults/storage/outage", {});
    for (const port of [azurite.blobPort, azurite.queuePort, azurite.tablePort])
      expect(await connectTo(port)).toBe("ECONNREFUSED");
    await expect(table(0).upsertEntity({ partitionKey: "p", rowKey: "r" })).rejects.toMatchObject({
      code: "ECONNREFUSED",
    });

    await control("DELETE", "/faults");
    await table(0).upsertEntity({ partitionKey: "p", rowKey: "r" });
  });

  it("resets each connection on arrival in reset mode", async () => {
    const before = standIns.faults!.injector.storage.counts().connectionsResetOnArrival;
    await control("POST", "/faults/storage/outage", { mode: "reset" });
    expect(await connectTo(standIns.azurite!.tablePort)).toBe("ECONNRESET");
    expect(standIns.faults!.injector.storage.counts().connectionsResetOnArrival).toBeGreaterThan(
      before,
    );
  });

  it("takes the new mode when an outage is asked for again while one is on", async () => {
    const port = standIns.azurite!.tablePort;
    await control("POST", "/faults/storage/outage", {});
    await control("POST", "/faults/storage/outage", { mode: "reset" });
    expect(await connectTo(port)).toBe("ECONNRESET");
    await control("POST", "/faults/storage/outage", { mode: "refuse" });
    expect(await connectTo(port)).toBe("ECONNREFUSED");
    await control("DELETE", "/faults/storage/outage");
    expect(await connectTo(port)).toBe("connected");
  });

  it("lets the SDK's retries carry a request through an outage that ends by itself", async () => {
    await control("POST", "/faults/storage/outage", { forMs: 300 });
    await table(20).upsertEntity({ partitionKey: "p", rowKey: "after" });
    const { rowKey } = await table(0).getEntity("p", "after");
    expect(rowKey).toBe("after");
  });
});
