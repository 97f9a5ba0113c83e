/**
 * Live status over HTTP through the local host and the SignalR Service stand-in: negotiate
 * answers the serverless redirect for the calling customer, the unmodified `@microsoft/signalr`
 * client connects with it, and the storefront page and its assets are served. The saga's
 * pushes are covered in shared/saga/liveStatusPush.test.ts and, end to end in a browser, in
 * tests/storefront/.
 */
import { HubConnectionBuilder, HubConnectionState, LogLevel } from "@microsoft/signalr";
import jwt from "jsonwebtoken";
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
  standIns = await startStandIns();
  try {
    host = await startHostProcess({
      env: { ...standIns.settings, ...apiOnlySettings() },
      readyTimeoutMs: 60_000,
    });
  } catch (error) {
    await standIns.stop();
    throw error;
  }
}, 120_000);

afterAll(async () => {
  await host?.stop();
  await standIns?.stop();
});

const negotiate = (headers: Record<string, string> = {}) =>
  fetch(`${host.baseUrl}/api/negotiate?negotiateVersion=1`, { method: "POST", headers });

describe("POST /api/negotiate", () => {
  it("returns the service URL and a token for the calling customer", async () => {
    const res = await negotiate({ "X-Customer-Id": "ada" });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const info = (await res.json()) as { url: string; accessToken: string };
    expect(info.url).toBe(`${standIns.signalR!.endpoint}/client/?hub=orders`);
    expect(jwt.decode(info.accessToken)).toMatchObject({ aud: info.url, nameid: "ada" });
  });

  it("lets the unmodified @microsoft/signalr client connect as that customer", async () => {
    const connection = new HubConnectionBuilder()
      .withUrl(`${host.baseUrl}/api`, { headers: { "X-Customer-Id": "grace" } })
      .configureLogging(LogLevel.None)
      .build();
    await connection.start();
    try {
      expect(connection.state).toBe(HubConnectionState.Connected);
      expect(standIns.signalR!.connectionCount("orders", "grace")).toBe(1);
    } finally {
      await connection.stop();
    }
  });

  it("answers 401 problem+json for a customer id that is not one", async () => {
    const res = await negotiate({ "X-Customer-Id": "x".repeat(129) });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });

  it("fails at binding without X-Customer-Id, before the function runs, as in Azure", async () => {
    // The binding's userId is {headers.x-customer-id}; Azure answers a request without it
    // with 500 (Azure/azure-webjobs-sdk#2713). Behind API Management the header is always set.
    expect((await negotiate()).status).toBe(500);
  });
});

describe("GET /api/shop", () => {
  it("redirects to the folder, so the page's relative URLs resolve", async () => {
    const res = await fetch(`${host.baseUrl}/api/shop`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("shop/");
  });

  it("serves the page, its modules and the SignalR browser client from the package", async () => {
    const page = await fetch(`${host.baseUrl}/api/shop/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    expect(html).toContain('src="signalr.min.js"');
    expect(html).toContain('src="app.js"');
    for (const asset of ["app.js", "api.js", "live.js", "dom.js", "style.css", "signalr.min.js"]) {
      const res = await fetch(`${host.baseUrl}/api/shop/${asset}`);
      expect({ asset, status: res.status }).toEqual({ asset, status: 200 });
    }
    const bundle = await (await fetch(`${host.baseUrl}/api/shop/signalr.min.js`)).text();
    expect(bundle).toContain("HubConnectionBuilder");
  });

  it.each(["../package.json", "..%2F..%2Fhost.json", "nothing.js"])(
    "refuses %s with 404",
    async (asset) => {
      expect((await fetch(`${host.baseUrl}/api/shop/${asset}`)).status).toBe(404);
    },
  );
});
