import { waitFor } from "../support/waitFor";
import { expectEveryOrderSettled, placeOrdersInFlight } from "./midRunLoss";
import { type SagaStack, startSagaStack } from "./sagaStack";

let stack: SagaStack;
beforeAll(async () => {
  // As in hostRestart.test.ts: step timeouts above the queues' lock duration plus a redelivery.
  stack = await startSagaStack({ timeoutSeconds: 150, instances: 2 });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

interface HostStats {
  plugins?: { durable?: { partitions?: number[] } };
}

async function partitionsOf(baseUrl: string): Promise<number[]> {
  const stats = (await (await fetch(`${baseUrl}/admin/host/stats`)).json()) as HostStats;
  return stats.plugins?.durable?.partitions ?? [];
}

describe("one of two Functions host instances that dies mid-run and stays dead", () => {
  it("loses no order: the survivor takes over its partitions once their leases expire", async () => {
    const [first, second] = stack.hosts;
    if (!first || !second) throw new Error("the stack should run two host instances");
    // Both instances start at once; the second holds partitions once the leases are split.
    await waitFor(
      async () => ((await partitionsOf(second.baseUrl)).length > 0 ? true : undefined),
      {
        timeoutMs: 60_000,
        what: "the second instance holding a partition",
      },
    );
    const placed = await placeOrdersInFlight(stack);
    expect((await partitionsOf(second.baseUrl)).length).toBeGreaterThan(0);
    await second.kill("SIGKILL");
    await expectEveryOrderSettled(stack, placed);
    // Every partition is the survivor's now (they moved once the dead one's leases expired).
    expect(await partitionsOf(first.baseUrl)).toEqual([0, 1, 2, 3]);
  }, 400_000);
});
