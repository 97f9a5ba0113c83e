import { startHostProcess } from "../testing/startHostProcess";
import { FIXTURE_APP_DIR, FIXTURE_APP_ENTRY, readJson } from "./testing/fixtureApp";

describe("HTTP trigger options", () => {
  it("enforces keys when LOCAL_HOST_ENFORCE_KEYS=true", async () => {
    const host = await startHostProcess({
      entry: FIXTURE_APP_ENTRY,
      cwd: FIXTURE_APP_DIR,
      env: {
        LOCAL_HOST_ENFORCE_KEYS: "true",
        LOCAL_HOST_FUNCTION_KEY: "fn-key",
        LOCAL_HOST_MASTER_KEY: "master-key",
      },
    });
    try {
      const get = (path: string, headers?: Record<string, string>) =>
        fetch(`${host.baseUrl}${path}`, { headers });
      expect((await get("/api/secure")).status).toBe(401);
      expect((await get("/api/secure", { "x-functions-key": "wrong" })).status).toBe(401);
      expect((await get("/api/secure", { "x-functions-key": "fn-key" })).status).toBe(200);
      expect((await get("/api/secure?code=fn-key")).status).toBe(200);
      expect((await get("/api/secure?code=master-key")).status).toBe(200);
      expect((await get("/api/admin-only?code=fn-key")).status).toBe(401);
      expect((await get("/api/admin-only", { "x-functions-key": "master-key" })).status).toBe(200);
      expect((await get("/api/hello")).status).toBe(200);
    } finally {
      await host.stop();
    }
  });

  it("answers 413 to a body over FUNCTIONS_REQUEST_BODY_SIZE_LIMIT", async () => {
    const host = await startHostProcess({
      entry: FIXTURE_APP_ENTRY,
      cwd: FIXTURE_APP_DIR,
      env: { FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: "16" },
    });
    try {
      const small = await fetch(`${host.baseUrl}/api/echo`, { method: "PUT", body: "0123456789" });
      expect(small.status).toBe(201);
      const large = await fetch(`${host.baseUrl}/api/echo`, {
        method: "PUT",
        body: "x".repeat(64),
      });
      expect(large.status).toBe(413);
    } finally {
      await host.stop();
    }
  });

  it("finishes in-flight requests on SIGTERM, runs appTerminate hooks and exits 0", async () => {
    const host = await startHostProcess({ entry: FIXTURE_APP_ENTRY, cwd: FIXTURE_APP_DIR });
    const inFlight = fetch(`${host.baseUrl}/api/slow?ms=400`);
    // Signal only once the request is inside the handler.
    await host.waitForLog((l) => l.includes("slow started"));
    const stopped = host.stop();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("slow done");
    expect((await stopped).code).toBe(0);
    expect(host.lines.some((l) => l.includes("fixture appTerminate hook ran"))).toBe(true);
  });

  it("writes JSON log lines when LOG_FORMAT=json", async () => {
    const host = await startHostProcess({
      entry: FIXTURE_APP_ENTRY,
      cwd: FIXTURE_APP_DIR,
      env: { LOG_FORMAT: "json" },
    });
    try {
      const { invocationId } = await readJson<{ invocationId: string }>(
        fetch(`${host.baseUrl}/api/hello/json`),
      );
      const userLine = await host.waitForLog((l) => l.includes("hello called json"));
      expect(JSON.parse(userLine)).toMatchObject({
        level: "information",
        category: "user",
        function: "hello",
        invocationId,
        message: "hello called json",
      });
      const done = await host.waitForLog(
        (l) => l.includes(`"invocationId":"${invocationId}"`) && l.includes("Executed"),
      );
      expect(JSON.parse(done)).toMatchObject({ outcome: "Succeeded", function: "hello" });
      expect(typeof JSON.parse(done).durationMs).toBe("number");
    } finally {
      await host.stop();
    }
  });
});
