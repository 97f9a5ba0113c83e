import { ServiceBusClient } from "@azure/service-bus";
import { startHostProcess } from "../testing/startHostProcess";
import { startStandIns, type RunningStandIns } from "../testing/startStandIns";
import type { FixtureState } from "./testing/fixture-app/state";
import { FIXTURE_APP_DIR, FIXTURE_APP_ENTRY, readJson } from "./testing/fixtureApp";
import { FIXTURE_TOPOLOGY } from "./testing/fixtureTopology";

describe("a host killed mid-message", () => {
  let standIns: RunningStandIns;
  let client: ServiceBusClient;

  beforeAll(async () => {
    standIns = await startStandIns({
      azurite: false,
      cosmos: false,
      serviceBusConfig: FIXTURE_TOPOLOGY,
    });
    client = new ServiceBusClient(standIns.settings.ServiceBusConnection!);
  });

  afterAll(async () => {
    await client?.close();
    await standIns?.stop();
  });

  it("loses nothing: the broker redelivers the message to the next host once the lock lapses", async () => {
    const env = {
      FIXTURE_SERVICEBUS: "true",
      FixtureServiceBus: standIns.settings.ServiceBusConnection,
    };
    const first = await startHostProcess({ entry: FIXTURE_APP_ENTRY, cwd: FIXTURE_APP_DIR, env });
    await client
      .createSender("fixture-work")
      .sendMessages({ messageId: "crash-1", body: { holdMs: 60_000 } });
    await first.waitForLog((l) => l.includes("work started crash-1"));
    await first.kill("SIGKILL");

    // The second delivery is recorded as it starts, so the test need not wait for its hold.
    const second = await startHostProcess({ entry: FIXTURE_APP_ENTRY, cwd: FIXTURE_APP_DIR, env });
    try {
      for (;;) {
        const state = await readJson<FixtureState>(fetch(`${second.baseUrl}/api/state`));
        const seen = state.messages.find(
          (m) => (m.triggerMetadata as { messageId?: string }).messageId === "crash-1",
        );
        if (seen) {
          expect((seen.triggerMetadata as { deliveryCount: number }).deliveryCount).toBe(2);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await second.kill("SIGKILL");
    }
  });
});
