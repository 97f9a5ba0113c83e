import type { IncomingMessage, ServerResponse } from "node:http";
import { LogWriter } from "./logger";
import type { HostPlugin, HostPluginContext, RegisteredFunction } from "./plugin";
import { startHost, type RunningHost } from "./startHost";
import { FIXTURE_APP_DIR, FIXTURE_APP_ENTRY, readJson } from "./testing/fixtureApp";

/** A plugin shaped like the Durable engine: it drives one trigger type and fills one input type. */
class FixturePlugin implements HostPlugin {
  readonly name = "fixture-plugin";
  readonly triggerTypes = ["fixtureTrigger"];
  readonly inputBindingTypes = ["fixtureInput"];
  context: HostPluginContext | undefined;
  inputCalls = 0;
  stopped = false;

  start(context: HostPluginContext): Promise<void> {
    this.context = context;
    return Promise.resolve();
  }

  inputBindingData(_binding: unknown, fn: RegisteredFunction) {
    this.inputCalls++;
    return { json: JSON.stringify({ for: fn.name, call: this.inputCalls }) };
  }

  handleHttp(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (!req.url?.startsWith("/runtime/webhooks/fixture")) return Promise.resolve(false);
    res.end(`plugin saw ${this.context?.baseUrl ?? "?"}`);
    return Promise.resolve(true);
  }

  stop(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }
}

describe("startHost in process, with a plugin", () => {
  const plugin = new FixturePlugin();
  const lines: string[] = [];
  let host: RunningHost;

  beforeAll(async () => {
    host = await startHost({
      appDirectory: FIXTURE_APP_DIR,
      entry: FIXTURE_APP_ENTRY,
      port: 0,
      // Copied into process.env, where the app reads its settings.
      env: {
        ...process.env,
        FIXTURE_PLUGIN: "true",
        LOCAL_HOST_SYSTEM_KEY: "system-key",
        LOCAL_HOST_MASTER_KEY: "master-key",
        LOCAL_HOST_ENFORCE_KEYS: "false",
      },
      skipLocalSettings: true,
      plugins: [plugin],
      log: new LogWriter({ write: (line) => lines.push(line) }),
    });
  });

  afterAll(async () => {
    await host.stop();
  });

  it("captures the registrations with their metadata", () => {
    const secure = host.app.functions.find((f) => f.name === "secure")!;
    expect(secure.triggerType).toBe("httpTrigger");
    expect(secure.bindings[secure.triggerBindingName]).toMatchObject({
      route: "secure",
      authLevel: "function",
      methods: ["GET"],
      direction: "in",
    });
    expect(secure.bindings.$return).toMatchObject({ type: "http", direction: "out" });
  });

  it("gives the plugin its functions, the invoker and the base URL after the server listens", () => {
    expect(plugin.context?.functions.map((f) => f.name)).toEqual(["pluginTriggered"]);
    expect(plugin.context?.baseUrl).toBe(host.baseUrl);
    expect(host.functions.find((f) => f.name === "pluginTriggered")?.driver).toBe("fixture-plugin");
  });

  it("asks the plugin for its input binding on every invocation", async () => {
    const first = await readJson<{ input: { call: number } }>(
      fetch(`${host.baseUrl}/api/plugin-input`),
    );
    const second = await readJson<{ input: { call: number } }>(
      fetch(`${host.baseUrl}/api/plugin-input`),
    );
    expect(second.input.call).toBe(first.input.call + 1);
  });

  it("lets the plugin invoke its functions through the programming model", async () => {
    const fn = plugin.context!.functions[0]!;
    const result = await plugin.context!.invoker.invoke(fn, {
      inputData: [{ name: fn.triggerBindingName, data: { json: JSON.stringify({ hello: 1 }) } }],
    });
    const value = JSON.parse(result.returnValue!.json!) as {
      payload: unknown;
      input: { for: string };
    };
    expect(value.payload).toEqual({ hello: 1 });
    expect(value.input.for).toBe("pluginTriggered");
  });

  it("routes requests outside the route prefix to the plugin", async () => {
    const res = await fetch(`${host.baseUrl}/runtime/webhooks/fixture/x`, {
      headers: { "x-functions-key": "system-key" },
    });
    expect(await res.text()).toBe(`plugin saw ${host.baseUrl}`);
    expect((await fetch(`${host.baseUrl}/runtime/webhooks/other?code=system-key`)).status).toBe(
      404,
    );
  });

  it("asks the system or master key of every webhook call, even with keys not enforced", async () => {
    const webhook = (suffix: string, headers: Record<string, string> = {}) =>
      fetch(`${host.baseUrl}/runtime/webhooks/fixture/x${suffix}`, { headers });
    expect((await webhook("")).status).toBe(401);
    expect((await webhook("", { "x-functions-key": "wrong" })).status).toBe(401);
    expect((await webhook("?code=wrong")).status).toBe(401);
    expect((await webhook("", { "x-functions-key": "SYSTEM-KEY" })).status).toBe(401);
    expect((await fetch(`${host.baseUrl}/RUNTIME/Webhooks/fixture/x`)).status).toBe(401);
    expect((await webhook("?code=system-key")).status).toBe(200);
    expect((await webhook("", { "x-functions-key": "master-key" })).status).toBe(200);
    expect(plugin.context?.systemKey).toBe("system-key");
    expect(host.systemKey).toBe("system-key");
  });

  it("writes one line per invocation with its outcome", () => {
    expect(lines.some((l) => l.includes("Executed 'Functions.withPluginInput' (Succeeded"))).toBe(
      true,
    );
  });

  it("rejects the invocation when the handler throws", async () => {
    const fn = host.app.functions.find((f) => f.name === "throws")!;
    await expect(
      host.app.invoker.invoke(fn, {
        inputData: [
          {
            name: fn.triggerBindingName,
            data: { http: { method: "GET", url: "http://x/api/throws", headers: {} } },
          },
        ],
      }),
    ).rejects.toThrow(/fixture failure/);
  });

  it("stops the plugin when the host stops", async () => {
    expect(plugin.stopped).toBe(false);
    await host.stop();
    expect(plugin.stopped).toBe(true);
  });
});
