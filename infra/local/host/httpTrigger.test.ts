import { startHostProcess, type HostProcess } from "../testing/startHostProcess";
import { FIXTURE_APP_DIR, FIXTURE_APP_ENTRY, readJson } from "./testing/fixtureApp";
import type { FixtureState } from "./testing/fixture-app/state";

interface HelloBody {
  name: string | null;
  query: Record<string, string>;
  method: string;
  text: string;
  header: string | null;
  invocationId: string;
  traceParent: string | null;
}

describe("HTTP trigger through the local host", () => {
  let host: HostProcess;

  beforeAll(async () => {
    host = await startHostProcess({ entry: FIXTURE_APP_ENTRY, cwd: FIXTURE_APP_DIR });
  });

  afterAll(async () => {
    await host.stop();
  });

  const get = (path: string, init?: RequestInit) => fetch(`${host.baseUrl}${path}`, init);

  it("passes route parameters, query and headers to the handler", async () => {
    const res = await get("/api/hello/ada?x=1&y=two", { headers: { "x-fixture": "present" } });
    expect(res.status).toBe(200);
    const body = await readJson<HelloBody>(res);
    expect(body).toMatchObject({
      name: "ada",
      query: { x: "1", y: "two" },
      method: "GET",
      header: "present",
    });
  });

  it("passes the caller's traceparent as context.traceContext, or starts a new trace", async () => {
    const traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const given = await readJson<HelloBody>(
      get("/api/hello/t", { headers: { traceparent: traceParent } }),
    );
    expect(given.traceParent).toBe(traceParent);
    const fresh = await readJson<HelloBody>(get("/api/hello/t"));
    expect(fresh.traceParent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it("treats an optional parameter as absent", async () => {
    const body = await readJson<HelloBody>(get("/api/hello"));
    expect(body.name).toBeNull();
  });

  it("passes the request body to a POST handler", async () => {
    const res = await get("/api/hello/bo", { method: "POST", body: "some text" });
    expect((await readJson<HelloBody>(res)).text).toBe("some text");
  });

  it("round-trips raw body bytes, status, headers and cookies", async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const res = await get("/api/echo", { method: "PUT", body: bytes });
    expect(res.status).toBe(201);
    expect(res.headers.get("x-length")).toBe("5");
    expect(res.headers.get("set-cookie")).toBe("seen=yes; Path=/");
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it("applies route constraints and prefers literal segments", async () => {
    expect(await (await get("/api/items/42")).json()).toEqual({ id: "42", kind: "int" });
    expect(await (await get("/api/items/abc")).json()).toEqual({ name: "abc", kind: "alpha" });
    expect(await (await get("/api/items/special")).json()).toEqual({ kind: "literal" });
    expect((await get("/api/items/a1")).status).toBe(404);
  });

  it("captures the rest of the path in a catch-all parameter, decoded", async () => {
    expect(await (await get("/api/files/a/b%20c/d.txt")).json()).toEqual({ path: "a/b c/d.txt" });
  });

  it("uses the function name when no route is given", async () => {
    expect(await (await get("/api/defaultRoute")).text()).toBe(
      "default route is the function name",
    );
  });

  it("answers 404 for an unknown route and for a method the route does not accept", async () => {
    expect((await get("/api/nothing-here")).status).toBe(404);
    expect((await get("/api/items/42", { method: "DELETE" })).status).toBe(404);
    expect((await get("/elsewhere")).status).toBe(404);
  });

  it("answers 500 when the handler throws and logs the failed invocation", async () => {
    expect((await get("/api/throws")).status).toBe(500);
    await host.waitForLog(/Executed 'Functions\.throws' \(Failed, Id=.*fixture failure/);
  });

  it("answers 204 when the handler returns nothing", async () => {
    expect((await get("/api/no-content")).status).toBe(204);
  });

  it("runs pre- and post-invocation hooks; a pre hook can wrap the handler", async () => {
    expect(await (await get("/api/hooked")).json()).toEqual({ handled: true, wrapped: true });
    const state = await readJson<FixtureState>(get("/api/state"));
    expect(state.hooks).toEqual(
      expect.arrayContaining(["appStart", "preInvocation", "postInvocation:hooked"]),
    );
  });

  it("does not enforce function keys by default", async () => {
    expect((await get("/api/secure")).status).toBe(200);
    expect((await get("/api/admin-only")).status).toBe(200);
  });

  it("writes context.log lines with function name and invocation id", async () => {
    const body = await readJson<HelloBody>(get("/api/hello/logger"));
    const line = await host.waitForLog((l) => l.includes("hello called logger"));
    expect(line).toContain(`[hello] (${body.invocationId})`);
    await host.waitForLog((l) =>
      l.includes(`Executed 'Functions.hello' (Succeeded, Id=${body.invocationId}, Duration=`),
    );
  });

  it("runs log hooks, which may rewrite a line", async () => {
    await get("/api/hello/secret-token");
    await host.waitForLog((l) => l.includes("hello called [redacted]"));
    expect(host.lines.some((l) => l.includes("hello called secret-token"))).toBe(false);
  });

  it("serves the host status", async () => {
    expect(await (await get("/admin/host/status")).json()).toMatchObject({ state: "Running" });
  });
});
