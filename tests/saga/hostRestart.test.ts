import { expectEveryOrderSettled, placeOrdersInFlight } from "./midRunLoss";
import { type SagaStack, startSagaStack } from "./sagaStack";

let stack: SagaStack;
beforeAll(async () => {
  // Step timeouts above the queues' LockDuration (PT1M) plus a redelivery, as Bicep sets them
  // in Azure: a command locked by the killed host comes back when its lock expires, in time.
  stack = await startSagaStack({ timeoutSeconds: 150, instances: 1 });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

describe("a Functions host that dies mid-run", () => {
  it("loses no order: after a kill and a restart every saga settles and the records agree", async () => {
    const placed = await placeOrdersInFlight(stack);
    await stack.host.kill("SIGKILL");
    // The restarted host keeps its instance id, so it takes its partitions back at once.
    await stack.restartHost();
    await expectEveryOrderSettled(stack, placed);
  }, 400_000);
});
