import { anItem } from "../../shared/contracts/testing/httpBuilders";
import { type PlacedOrder, hasStatus } from "../support/apiClient";
import { type SagaStack, expectInvariants, startSagaStack } from "./sagaStack";

const ORDERS = 200;
const UNITS = 50;

/**
 * The 200-for-50 race, on `instances` Functions host processes (concurrency.test.ts runs it
 * on one, concurrency.twoInstances.test.ts on two competing for the work).
 */
export function describeContention(instances: number): void {
  let stack: SagaStack;
  beforeAll(async () => {
    // Generous step timeouts: under this load a slow reply must not turn OutOfStock into a timeout.
    stack = await startSagaStack({ timeoutSeconds: 120, instances });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  /** Rethrows with the lines `pick` takes from each host, so a rare CI failure explains itself. */
  const withHostLines =
    (pick: (host: SagaStack["hosts"][number]) => string[]) =>
    (error: unknown): never => {
      const said = stack.hosts.map((host, i) => `host ${i + 1}, ${pick(host).join("\n")}`);
      throw new Error(`${(error as Error).message}\n${said.join("\n")}`, { cause: error });
    };

  describe(`contention on the local stack (${instances} host instance${instances > 1 ? "s" : ""})`, () => {
    it(`confirms exactly ${UNITS} of ${ORDERS} concurrent orders for ${UNITS} units of one SKU`, async () => {
      const sku = "SKU-0040";
      await stack.api.setStock(sku, UNITS);
      const placed: PlacedOrder[] = await Promise.all(
        Array.from({ length: ORDERS }, (_, i) =>
          stack.api
            .placeOrder(`contention-${i % 20}`, { items: [anItem({ sku, quantity: 1 })] })
            // A refused placement is rare and seen only under a loaded CI machine: say why.
            .catch(
              withHostLines((host) => [
                "error lines:",
                ...host.lines.filter((line) => /request failed|error/i.test(line)).slice(-20),
              ]),
            ),
        ),
      );
      const settled = await stack.api
        .waitForAll(placed, hasStatus("Confirmed", "Failed", "Cancelled"), 420_000)
        // A stall is rare and seen only under a loaded CI machine: say what the hosts said.
        .catch(withHostLines((host) => ["last lines:", ...host.lines.slice(-60)]));
      const confirmed = settled.filter((o) => o.status === "Confirmed");
      const failed = settled.filter((o) => o.status === "Failed");
      expect(confirmed).toHaveLength(UNITS);
      expect(failed).toHaveLength(ORDERS - UNITS);
      expect(new Set(failed.map((o) => o.failureReason))).toEqual(new Set(["OutOfStock"]));
      const product = await stack.api.call(`/products/${sku}`);
      expect(product.json.available).toBe(0);
      await expectInvariants(
        stack,
        placed.map((o) => o.orderId),
      );
    }, 600_000);
  });
}
