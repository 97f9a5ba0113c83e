import { ServiceBusClient, type ServiceBusReceiver } from "@azure/service-bus";
import { startServiceBusEmulator, type ServiceBusEmulator } from "../index";
import { testTopology, type TestTopology } from "./topology";

/** An emulator on a free port with a test's own entities, and a client connected to it. */
export interface TestEmulator {
  readonly emulator: ServiceBusEmulator;
  readonly client: ServiceBusClient;
  close(): Promise<void>;
}

export async function startTestEmulator(topology: TestTopology): Promise<TestEmulator> {
  const emulator = await startServiceBusEmulator({ port: 0, config: testTopology(topology) });
  const client = new ServiceBusClient(emulator.connectionString);
  return {
    emulator,
    client,
    async close() {
      await client.close();
      await emulator.close();
    },
  };
}

/**
 * Receives and completes until a receive of `quietMs` brings nothing, so the bodies returned
 * are every message the entity had, and a test comparing them also checks nothing more came.
 */
export async function drainBodies(
  receiver: ServiceBusReceiver,
  quietMs = 1000,
): Promise<unknown[]> {
  const bodies: unknown[] = [];
  for (;;) {
    const batch = await receiver.receiveMessages(10, { maxWaitTimeInMs: quietMs });
    if (batch.length === 0) return bodies;
    for (const m of batch) {
      bodies.push(m.body);
      await receiver.completeMessage(m);
    }
  }
}
