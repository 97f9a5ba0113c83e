import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  HttpTransportType,
  HubConnectionBuilder,
  HubConnectionState,
  LogLevel,
  type HubConnection,
} from "@microsoft/signalr";
import { signAccessToken } from "./accessToken";
import { startSignalRService, type SignalRService } from "./signalRService";

const KEY = "test-access-key-0123456789abcdefghijklmnop";

/**
 * The app half of the serverless negotiate redirect, as the Functions input binding answers
 * it: `POST <app>/api/negotiate` returns the service URL and a token for the caller's user.
 */
async function startNegotiateApp(service: SignalRService) {
  const server = http.createServer((req, res) => {
    const user = req.headers["x-user"] as string | undefined;
    const url = `${service.endpoint}/client/?hub=orders`;
    const accessToken = signAccessToken(KEY, { audience: url, ...(user ? { userId: user } : {}) });
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ url, accessToken }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  return { base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function restToken(service: SignalRService, path: string): string {
  return signAccessToken(KEY, { audience: `${service.endpoint}${path}` });
}

async function rest(
  service: SignalRService,
  method: string,
  path: string,
  body?: unknown,
  query = "api-version=2022-06-01",
): Promise<number> {
  const res = await fetch(`${service.endpoint}${path}${query ? `?${query}` : ""}`, {
    method,
    headers: {
      Authorization: `Bearer ${restToken(service, path)}`,
      "Content-Type": "application/json",
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return res.status;
}

describe("local SignalR Service through @microsoft/signalr", () => {
  let service: SignalRService;
  let app: Awaited<ReturnType<typeof startNegotiateApp>>;
  const clients: HubConnection[] = [];

  beforeAll(async () => {
    service = await startSignalRService({ port: 0, accessKey: KEY });
    app = await startNegotiateApp(service);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.stop()));
  });
  afterAll(async () => {
    await app.close();
    await service.close();
  });

  /** A connected client of user `user` recording every `orderStatusChanged` it receives. */
  async function connect(user: string, reconnect = false) {
    let builder = new HubConnectionBuilder()
      .withUrl(app.base, { headers: { "x-user": user }, transport: HttpTransportType.WebSockets })
      .configureLogging(LogLevel.None);
    if (reconnect) builder = builder.withAutomaticReconnect([0, 50, 100]);
    const connection = builder.build();
    const received: unknown[] = [];
    const waiters: Array<() => void> = [];
    connection.on("orderStatusChanged", (arg: unknown) => {
      received.push(arg);
      waiters.splice(0).forEach((w) => w());
    });
    await connection.start();
    clients.push(connection);
    const next = (count: number) =>
      new Promise<void>((resolve) => {
        const check = () => (received.length >= count ? resolve() : waiters.push(check));
        check();
      });
    return { connection, received, next };
  }

  it("follows the negotiate redirect, connects over WebSockets and receives a push to its user", async () => {
    const ada = await connect("ada");
    expect(ada.connection.state).toBe(HubConnectionState.Connected);
    expect(ada.connection.connectionId).toEqual(expect.any(String));
    expect(
      await rest(service, "POST", "/api/hubs/orders/users/ada/:send", {
        target: "orderStatusChanged",
        arguments: [{ orderId: "o-1", status: "Confirmed" }],
      }),
    ).toBe(202);
    await ada.next(1);
    expect(ada.received).toEqual([{ orderId: "o-1", status: "Confirmed" }]);
  });

  it("delivers a user's messages to that user only (v1 and dated routes)", async () => {
    const ada = await connect("ada");
    const bob = await connect("bob");
    expect(
      await rest(
        service,
        "POST",
        "/api/v1/hubs/orders/users/ada",
        { target: "orderStatusChanged", arguments: ["for ada"] },
        "",
      ),
    ).toBe(202);
    expect(
      await rest(service, "POST", "/api/hubs/orders/users/bob/:send", {
        target: "orderStatusChanged",
        arguments: ["for bob"],
      }),
    ).toBe(202);
    await Promise.all([ada.next(1), bob.next(1)]);
    // Frames to one socket keep their order, so bob has seen everything sent before his own.
    expect(bob.received).toEqual(["for bob"]);
    expect(ada.received).toEqual(["for ada"]);
  });

  it("matches hub names without regard to case", async () => {
    const ada = await connect("ada");
    expect(
      await rest(service, "POST", "/api/hubs/ORDERS/users/ada/:send", {
        target: "orderStatusChanged",
        arguments: [1],
      }),
    ).toBe(202);
    await ada.next(1);
    expect(ada.received).toEqual([1]);
  });

  it("broadcasts to everyone, and to a group of users it manages", async () => {
    const ada = await connect("ada");
    const bob = await connect("bob");
    expect(
      await rest(service, "POST", "/api/hubs/orders/:send", {
        target: "orderStatusChanged",
        arguments: ["all"],
      }),
    ).toBe(202);
    await Promise.all([ada.next(1), bob.next(1)]);
    expect(await rest(service, "PUT", "/api/hubs/orders/users/bob/groups/vip")).toBe(200);
    expect(await rest(service, "HEAD", "/api/hubs/orders/users/bob/groups/vip")).toBe(200);
    expect(
      await rest(service, "POST", "/api/hubs/orders/groups/vip/:send", {
        target: "orderStatusChanged",
        arguments: ["vip"],
      }),
    ).toBe(202);
    await bob.next(2);
    expect(await rest(service, "DELETE", "/api/hubs/orders/users/bob/groups/vip")).toBe(204);
    expect(
      await rest(service, "PUT", "/api/v1/hubs/orders/groups/vip/users/ada", undefined, ""),
    ).toBe(202);
    expect(
      await rest(
        service,
        "POST",
        "/api/v1/hubs/orders/groups/vip",
        { target: "orderStatusChanged", arguments: ["vip2"] },
        "",
      ),
    ).toBe(202);
    expect(
      await rest(service, "POST", "/api/hubs/orders/:send", {
        target: "orderStatusChanged",
        arguments: ["end"],
      }),
    ).toBe(202);
    await Promise.all([ada.next(3), bob.next(3)]);
    expect(ada.received).toEqual(["all", "vip2", "end"]);
    expect(bob.received).toEqual(["all", "vip", "end"]);
  });

  it("answers whether a user is connected", async () => {
    expect(await rest(service, "HEAD", "/api/hubs/orders/users/carol")).toBe(404);
    await connect("carol");
    expect(await rest(service, "HEAD", "/api/hubs/orders/users/carol")).toBe(200);
    expect(await rest(service, "GET", "/api/v1/hubs/orders/users/carol", undefined, "")).toBe(200);
  });

  it("lets a client with automatic reconnect come back after the service drops it", async () => {
    const ada = await connect("ada", true);
    const reconnected = new Promise<void>((resolve) =>
      ada.connection.onreconnected(() => resolve()),
    );
    service.dropConnections();
    await reconnected;
    expect(
      await rest(service, "POST", "/api/hubs/orders/users/ada/:send", {
        target: "orderStatusChanged",
        arguments: ["again"],
      }),
    ).toBe(202);
    await ada.next(1);
    expect(ada.received).toEqual(["again"]);
  });
});
