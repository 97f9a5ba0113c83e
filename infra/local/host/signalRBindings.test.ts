import { HubConnectionBuilder, LogLevel, type HubConnection } from "@microsoft/signalr";
import jwt from "jsonwebtoken";
import { startSignalRService, type SignalRService } from "../signalr";
import {
  expectHostStartFailure,
  startHostProcess,
  type HostProcess,
} from "../testing/startHostProcess";
import { SIGNALR_APP_DIR, SIGNALR_APP_ENTRY } from "./testing/fixtureApp";

describe("SignalR bindings through the local host", () => {
  let service: SignalRService;
  let host: HostProcess;
  const clients: HubConnection[] = [];

  beforeAll(async () => {
    service = await startSignalRService({ port: 0 });
    host = await startHostProcess({
      entry: SIGNALR_APP_ENTRY,
      cwd: SIGNALR_APP_DIR,
      env: { AzureSignalRConnectionString: service.connectionString, FIXTURE_HUB: "Orders" },
    });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.stop()));
  });
  afterAll(async () => {
    await host.stop();
    await service.close();
  });

  async function connect(userId: string) {
    const connection = new HubConnectionBuilder()
      .withUrl(`${host.baseUrl}/api`, { headers: { "x-user-id": userId } })
      .configureLogging(LogLevel.None)
      .build();
    const received: unknown[] = [];
    const waiters: Array<() => void> = [];
    connection.on("note", (arg: unknown) => {
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
    return { received, next };
  }

  const push = (body: unknown) =>
    fetch(`${host.baseUrl}/api/push`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });

  it("answers negotiate with the service URL and a token for the header's user", async () => {
    const res = await fetch(`${host.baseUrl}/api/negotiate`, {
      method: "POST",
      headers: { "X-User-Id": "ada" },
    });
    expect(res.status).toBe(200);
    const info = (await res.json()) as { url: string; accessToken: string };
    expect(info.url).toBe(`${service.endpoint}/client/?hub=orders`);
    expect(
      jwt.verify(info.accessToken, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH"),
    ).toMatchObject({
      aud: info.url,
      nameid: "ada",
    });
  });

  it("fails the invocation (500) when the header the user id comes from is missing, as Azure does", async () => {
    const res = await fetch(`${host.baseUrl}/api/negotiate`, { method: "POST" });
    expect(res.status).toBe(500);
    await host.waitForLog(/Error while accessing 'x-user-id': property doesn't exist/);
  });

  it("connects the unmodified client and delivers output-binding messages to the right user", async () => {
    const ada = await connect("ada");
    const bob = await connect("bob");
    expect((await push({ target: "note", arguments: ["to ada"], userId: "ada" })).status).toBe(202);
    expect((await push([{ target: "note", arguments: ["to bob"], userId: "bob" }])).status).toBe(
      202,
    );
    await Promise.all([ada.next(1), bob.next(1)]);
    expect(ada.received).toEqual(["to ada"]);
    expect(bob.received).toEqual(["to bob"]);
  });

  it("applies group actions and sends to groups and to everyone", async () => {
    const ada = await connect("ada");
    const bob = await connect("bob");
    const sent = await push([
      { action: "add", userId: "bob", groupName: "vip" },
      { target: "note", arguments: ["vip"], groupName: "vip" },
      { action: "remove", userId: "bob", groupName: "vip" },
      { target: "note", arguments: ["vip again"], groupName: "vip" },
      { target: "note", arguments: ["all"] },
    ]);
    expect(sent.status).toBe(202);
    await Promise.all([ada.next(1), bob.next(2)]);
    expect(ada.received).toEqual(["all"]);
    expect(bob.received).toEqual(["vip", "all"]);
  });

  it("fails the invocation when an output value is neither a message nor a group action", async () => {
    expect((await push({ arguments: [1] })).status).toBe(500);
    await host.waitForLog(/Executed 'Functions\.push' \(Failed.*target or action/);
  });

  it("stops start-up naming the connection setting when it is missing", async () => {
    const { output } = await expectHostStartFailure({
      entry: SIGNALR_APP_ENTRY,
      cwd: SIGNALR_APP_DIR,
      env: { AzureSignalRConnectionString: undefined, FIXTURE_HUB: "orders" },
    });
    expect(output).toMatch(
      /"AzureSignalRConnectionString" \(a SignalR Service connection string\) is not set/,
    );
  });
});
