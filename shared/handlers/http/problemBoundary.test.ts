import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { CosmosClient, RestError, TimeoutError } from "@azure/cosmos";
import { COSMOS_EMULATOR_KEY } from "@order-processing/local-runtime/testing";
import type { ApiHandler, ApiRequest } from "./apiTypes";
import { withProblemBoundary } from "./problemBoundary";

const request = { method: "GET", url: "http://localhost/api/orders/o-1" } as unknown as ApiRequest;

function recordingLogger() {
  const lines: { level: "warn" | "error"; message: string; error: unknown }[] = [];
  const at = (level: "warn" | "error") => (message: string, fields?: Record<string, unknown>) =>
    void lines.push({ level, message, error: fields?.error });
  return { lines, warn: at("warn"), error: at("error") };
}

const failingWith =
  (error: Error): ApiHandler =>
  () =>
    Promise.reject(error);

/** A port nothing listens on: taken from the OS, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("withProblemBoundary", () => {
  it("answers 503 with Retry-After when the store refuses the connection, and logs it", async () => {
    const cosmos = new CosmosClient({
      endpoint: `https://127.0.0.1:${await closedPort()}/`,
      key: COSMOS_EMULATOR_KEY,
    });
    const logger = recordingLogger();
    try {
      const readOrder: ApiHandler = async () => {
        await cosmos.database("orders").container("orders").item("o-1", "c-1").read();
        return { status: 200 };
      };
      const response = await withProblemBoundary(readOrder, logger)(request);

      expect(response.status).toBe(503);
      expect(response.headers).toMatchObject({
        "Content-Type": "application/problem+json",
        "Retry-After": "1",
      });
      expect(JSON.parse(String(response.body))).toMatchObject({
        status: 503,
        title: "Service Unavailable",
      });
      expect(logger.lines).toEqual([
        expect.objectContaining({ level: "warn", error: expect.stringContaining("ECONNREFUSED") }),
      ]);
    } finally {
      cosmos.dispose();
    }
  });

  it.each([
    ["the SDK's request timeout", new TimeoutError("Timeout Error! Request took more than 300 ms")],
    ["a reset socket", new RestError("socket hang up", { code: "ECONNRESET" })],
    [
      "a 429 the SDK stopped retrying",
      Object.assign(new Error("Request rate is large"), { code: 429 }),
    ],
    ["a 408 from the gateway", Object.assign(new Error("Request timed out"), { code: 408 })],
  ])("answers 503 for %s", async (_, error) => {
    const logger = recordingLogger();
    const response = await withProblemBoundary(failingWith(error), logger)(request);
    expect(response.status).toBe(503);
    expect(response.headers).toMatchObject({ "Retry-After": "1" });
    expect(logger.lines.map((line) => line.level)).toEqual(["warn"]);
  });

  it.each([
    [
      "a name that does not resolve (a wrong endpoint)",
      new RestError("getaddrinfo ENOTFOUND", { code: "ENOTFOUND" }),
    ],
    ["a bug", new TypeError("Cannot read properties of undefined (reading 'items')")],
    ["a store error that no retry mends", Object.assign(new Error("Bad request"), { code: 400 })],
  ])("answers 500 revealing nothing for %s, and logs it as an error", async (_, error) => {
    const logger = recordingLogger();
    const response = await withProblemBoundary(failingWith(error), logger)(request);
    expect(response.status).toBe(500);
    expect(response.headers).not.toHaveProperty("Retry-After");
    expect(JSON.stringify(response.body)).not.toContain(error.message);
    expect(logger.lines).toEqual([
      expect.objectContaining({
        level: "error",
        error: expect.stringContaining(error.message),
      }),
    ]);
  });
});
