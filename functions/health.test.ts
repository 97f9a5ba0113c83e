/** GET /api/health names the dependency that does not answer, with 503. */
import { startServiceBusEmulator } from "@order-processing/local-runtime/servicebus";
import { apiOnlySettings } from "../tests/support/apiOnly";
import {
  startHostProcess,
  startStandIns,
  type HostProcess,
  type RunningStandIns,
} from "@order-processing/local-runtime/testing";

let standIns: RunningStandIns;
let host: HostProcess;

beforeAll(async () => {
  standIns = await startStandIns({ serviceBus: false });
  // A Service Bus endpoint where nothing listens any more.
  const gone = await startServiceBusEmulator({ port: 0 });
  await gone.close();
  host = await startHostProcess({
    // The API's functions alone: the saga's triggers would only retry the dead connection.
    env: {
      ...standIns.settings,
      ...apiOnlySettings(),
      ServiceBusConnection: gone.connectionString,
    },
    readyTimeoutMs: 60_000,
  });
}, 120_000);

afterAll(async () => {
  await host?.stop();
  await standIns?.stop();
});

it("is 503 naming serviceBus while Cosmos and storage are ok", async () => {
  const response = await fetch(`${host.baseUrl}/api/health`);
  expect(response.status).toBe(503);
  const body = (await response.json()) as {
    status: string;
    checks: Record<string, { status: string; error?: string }>;
  };
  expect(body.status).toBe("unavailable");
  expect(body.checks.cosmos).toEqual({ status: "ok" });
  expect(body.checks.storage).toEqual({ status: "ok" });
  expect(body.checks.serviceBus?.status).toBe("failed");
  expect(body.checks.serviceBus?.error).toEqual(expect.any(String));
  expect(JSON.stringify(body)).not.toContain("SharedAccessKey");
});
