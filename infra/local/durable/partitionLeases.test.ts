/**
 * Partition leases between workers sharing one task hub, on Azurite's Table service: they
 * split the partitions, never hold one at once, and a worker whose storage calls stop (as a
 * dead instance's do) loses its partitions to the survivor once their leases expire.
 */
import { TableClient } from "@azure/data-tables";
import type { HostLogger } from "../host/plugin";
import { PartitionLeases } from "./partitionLeases";
import { eventually } from "./testing/durableTestClient";
import { startAzuriteTables, type AzuriteTables } from "./testing/startAzurite";

const PARTITIONS = 4;
const LEASE_MS = 1_500;
const RENEW_MS = 300;

const quiet: HostLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

let azurite: AzuriteTables;
const running: PartitionLeases[] = [];

beforeAll(async () => {
  azurite = await startAzuriteTables();
}, 60_000);

afterAll(async () => {
  await Promise.all(running.map((l) => l.stop().catch(() => undefined)));
  await azurite?.stop();
});

/** A table client whose calls fail once `cut` is set, as a dead or isolated worker's do. */
function severable(table: TableClient): { table: TableClient; cut(): void } {
  let severed = false;
  const proxy = new Proxy(table, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (severed) throw Object.assign(new Error("connection refused"), { code: "ECONNREFUSED" });
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { table: proxy, cut: () => (severed = true) };
}

function worker(hub: string, workerId: string, table?: TableClient, leaseMs = LEASE_MS) {
  const acquired: number[] = [];
  const lost: number[] = [];
  const leases = new PartitionLeases({
    table:
      table ??
      TableClient.fromConnectionString(azurite.connectionString, `${hub}Partitions`, {
        allowInsecureConnection: true,
      }),
    workerId,
    partitionCount: PARTITIONS,
    logger: quiet,
    leaseMs,
    renewMs: RENEW_MS,
    hooks: {
      acquired: (p) => {
        acquired.push(p);
        return Promise.resolve();
      },
      releasing: () => Promise.resolve(),
      lost: (p) => lost.push(p),
    },
  });
  running.push(leases);
  return { leases, acquired, lost };
}

function disjoint(a: readonly number[], b: readonly number[]): boolean {
  return a.every((p) => !b.includes(p));
}

describe("partition leases", () => {
  it("split the partitions evenly between two workers, never both holding one", async () => {
    const a = worker("SplitHub", "a");
    await a.leases.start();
    expect(a.leases.owned()).toEqual([0, 1, 2, 3]);
    const b = worker("SplitHub", "b");
    await b.leases.start();
    let overlapped = false;
    await eventually(() => {
      if (!disjoint(a.leases.owned(), b.leases.owned())) overlapped = true;
      return a.leases.owned().length === 2 && b.leases.owned().length === 2;
    });
    expect(overlapped).toBe(false);
    expect([...a.leases.owned(), ...b.leases.owned()].sort()).toEqual([0, 1, 2, 3]);
  }, 60_000);

  it("move to the survivor once a dead worker's leases expire, after it stopped running them", async () => {
    const rawTable = TableClient.fromConnectionString(
      azurite.connectionString,
      "LossHubPartitions",
      { allowInsecureConnection: true },
    );
    const dying = severable(rawTable);
    const a = worker("LossHub", "a");
    const b = worker("LossHub", "b", dying.table);
    await a.leases.start();
    await b.leases.start();
    await eventually(() => a.leases.owned().length === 2 && b.leases.owned().length === 2);
    const bHeld = b.leases.owned();
    dying.cut();
    let overlapped = false;
    await eventually(() => {
      if (!disjoint(a.leases.owned(), b.leases.owned())) overlapped = true;
      return a.leases.owned().length === PARTITIONS;
    }, 30_000);
    // The cut-off worker counted its partitions as lost before the survivor took them.
    expect(overlapped).toBe(false);
    expect(b.leases.owned()).toEqual([]);
    expect(a.acquired).toEqual(expect.arrayContaining(bHeld));
  }, 60_000);

  it("hand every lease back on a graceful stop, so the other worker takes them at once", async () => {
    // Leases far longer than the wait below: only a hand-back lets the other worker take them.
    const long = 10 * 60_000;
    const a = worker("StopHub", "a", undefined, long);
    const b = worker("StopHub", "b", undefined, long);
    await a.leases.start();
    await b.leases.start();
    await eventually(() => a.leases.owned().length === 2 && b.leases.owned().length === 2);
    await b.leases.stop();
    await eventually(() => a.leases.owned().length === PARTITIONS, 30_000);
  }, 60_000);
});
