/** GET /api/health names the dependency that does not answer, with 503. */
import { startServiceBusEmulator } from "@order-processing/local-runtime/servicebus";
import { CONNECTIONS } from "../shared/config/names";
import type { HealthResponse } from "../shared/contracts/http/health";
import { startTestStack, type TestStack } from "../tests/support/testStack";

let stack: TestStack;

beforeAll(async () => {
  // A Service Bus endpoint where nothing listens any more.
  const gone = await startServiceBusEmulator({ port: 0 });
  await gone.close();
  stack = await startTestStack({
    standIns: { serviceBus: false },
    // The API's functions alone: the saga's triggers would only retry the dead connection.
    apiOnly: true,
    settings: { [CONNECTIONS.serviceBus]: gone.connectionString },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

it("is 503 naming serviceBus while Cosmos and storage are ok", async () => {
  const response = await stack.api.call<HealthResponse>("/health");
  expect(response.status).toBe(503);
  const body = response.json;
  expect(body.status).toBe("unavailable");
  expect(body.checks.cosmos).toEqual({ status: "ok" });
  expect(body.checks.storage).toEqual({ status: "ok" });
  expect(body.checks.serviceBus?.status).toBe("failed");
  expect(body.checks.serviceBus?.error).toEqual(expect.any(String));
  expect(JSON.stringify(body)).not.toContain("SharedAccessKey");
});
