import jwt from "jsonwebtoken";
import WebSocket from "ws";
import { signAccessToken } from "./accessToken";
import { RECORD_SEPARATOR } from "./hubProtocol";
import { startSignalRService, type SignalRService } from "./signalRService";

const KEY = "refusals-access-key-0123456789abcdefghijkl";

describe("local SignalR Service refusals and protocol details", () => {
  let service: SignalRService;
  beforeAll(async () => {
    service = await startSignalRService({ port: 0, accessKey: KEY, keepAliveIntervalMs: 50 });
  });
  afterAll(() => service.close());

  const clientUrl = () => `${service.endpoint}/client/?hub=orders`;
  const negotiate = (token?: string, hub = "orders") =>
    fetch(`${service.endpoint}/client/negotiate?hub=${hub}&negotiateVersion=1`, {
      method: "POST",
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    });

  describe("negotiate", () => {
    it("answers a valid token with a connection token and the WebSockets transport", async () => {
      const res = await negotiate(signAccessToken(KEY, { audience: clientUrl(), userId: "ada" }));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        negotiateVersion: 1,
        connectionId: expect.any(String),
        connectionToken: expect.any(String),
        availableTransports: [{ transport: "WebSockets", transferFormats: ["Text"] }],
      });
    });

    it.each([
      ["no token", () => undefined],
      [
        "another key",
        () => signAccessToken("another-key-0123456789abcdefghijklmnopq", { audience: clientUrl() }),
      ],
      [
        "another audience",
        () => signAccessToken(KEY, { audience: `${service.endpoint}/client/?hub=other` }),
      ],
      [
        "an expired token",
        () => jwt.sign({ exp: Math.floor(Date.now() / 1000) - 60, aud: clientUrl() }, KEY),
      ],
      [
        "an unsigned token",
        () => jwt.sign({ aud: clientUrl() }, "", { algorithm: "none", expiresIn: 60 }),
      ],
      [
        "another algorithm",
        () => jwt.sign({ aud: clientUrl() }, KEY, { algorithm: "HS512", expiresIn: 60 }),
      ],
    ])("refuses %s with 401", async (_name, token) => {
      expect((await negotiate(token())).status).toBe(401);
    });

    it("answers 503 while the service is unavailable, and serves again after", async () => {
      const token = signAccessToken(KEY, { audience: clientUrl(), userId: "ada" });
      service.setUnavailable(true);
      try {
        expect((await negotiate(token)).status).toBe(503);
      } finally {
        service.setUnavailable(false);
      }
      expect((await negotiate(token)).status).toBe(200);
    });

    it("refuses a request without a hub with 400", async () => {
      const res = await fetch(`${service.endpoint}/client/negotiate?negotiateVersion=1`, {
        method: "POST",
      });
      expect(res.status).toBe(400);
    });

    it("answers a browser's CORS preflight for its origin, with credentials", async () => {
      const res = await fetch(`${service.endpoint}/client/negotiate?hub=orders`, {
        method: "OPTIONS",
        headers: {
          Origin: "http://localhost:7071",
          "Access-Control-Request-Method": "POST",
          "Access-Control-Request-Headers": "authorization,x-requested-with",
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:7071");
      expect(res.headers.get("access-control-allow-credentials")).toBe("true");
      expect(res.headers.get("access-control-allow-headers")).toBe(
        "authorization,x-requested-with",
      );
    });
  });

  describe("WebSocket", () => {
    async function negotiated(userId = "ada") {
      const token = signAccessToken(KEY, { audience: clientUrl(), userId });
      const body = (await (await negotiate(token)).json()) as { connectionToken: string };
      return { token, connectionToken: body.connectionToken };
    }
    const wsUrl = (id: string, token: string) =>
      `${clientUrl().replace(/^http/, "ws")}&id=${id}&access_token=${encodeURIComponent(token)}`;
    function open(
      url: string,
    ): Promise<{ socket: WebSocket; frames: string[]; next(n: number): Promise<void> }> {
      return new Promise((resolve, reject) => {
        const socket = new WebSocket(url);
        const frames: string[] = [];
        const waiters: Array<() => void> = [];
        socket.on("message", (data: Buffer) => {
          frames.push(...data.toString("utf8").split(RECORD_SEPARATOR).filter(Boolean));
          waiters.splice(0).forEach((w) => w());
        });
        const next = (n: number) =>
          new Promise<void>((done) => {
            const check = () => (frames.length >= n ? done() : waiters.push(check));
            check();
          });
        socket.once("open", () => resolve({ socket, frames, next }));
        socket.once("unexpected-response", (_req, res) =>
          reject(new Error(`status ${res.statusCode}`)),
        );
        socket.once("error", reject);
      });
    }

    it("completes the handshake with {} and pings the client every keep-alive interval", async () => {
      const { token, connectionToken } = await negotiated();
      const ws = await open(wsUrl(connectionToken, token));
      ws.socket.send(`{"protocol":"json","version":1}${RECORD_SEPARATOR}`);
      await ws.next(3);
      expect(ws.frames.slice(0, 3)).toEqual(["{}", '{"type":6}', '{"type":6}']);
      ws.socket.close();
    });

    it("answers an unsupported protocol with a handshake error", async () => {
      const { token, connectionToken } = await negotiated();
      const ws = await open(wsUrl(connectionToken, token));
      ws.socket.send(`{"protocol":"messagepack","version":1}${RECORD_SEPARATOR}`);
      await ws.next(1);
      expect(JSON.parse(ws.frames[0]!)).toEqual({ error: expect.stringContaining("messagepack") });
    });

    it("closes a client that invokes a hub method (serverless mode has no server to run it)", async () => {
      const { token, connectionToken } = await negotiated();
      const ws = await open(wsUrl(connectionToken, token));
      const closed = new Promise((resolve) => ws.socket.once("close", resolve));
      ws.socket.send(
        `{"protocol":"json","version":1}${RECORD_SEPARATOR}{"type":1,"target":"x","arguments":[]}${RECORD_SEPARATOR}`,
      );
      await closed;
      const close = ws.frames
        .map((f) => JSON.parse(f) as { type?: number })
        .find((m) => m.type === 7);
      expect(close).toMatchObject({
        type: 7,
        error: expect.stringContaining("serverless"),
        allowReconnect: false,
      });
    });

    it("refuses an unknown or reused connection token with 404 and a bad token with 401", async () => {
      const { token, connectionToken } = await negotiated();
      await expect(open(wsUrl("not-negotiated", token))).rejects.toThrow("status 404");
      await expect(
        open(
          wsUrl(
            connectionToken,
            signAccessToken(KEY, { audience: "http://elsewhere/client/?hub=orders" }),
          ),
        ),
      ).rejects.toThrow("status 401");
      const ws = await open(wsUrl(connectionToken, token));
      ws.socket.close();
      await expect(open(wsUrl(connectionToken, token))).rejects.toThrow("status 404");
    });
  });

  describe("REST data plane", () => {
    const path = "/api/hubs/orders/users/ada/:send";
    const call = (
      token: string | undefined,
      target = path,
      query = "?api-version=2022-06-01",
      body = '{"target":"t","arguments":[]}',
    ) =>
      fetch(`${service.endpoint}${target}${query}`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        body,
      });
    const good = (target = path) =>
      signAccessToken(KEY, { audience: `${service.endpoint}${target}` });

    it("accepts a token for the request URL (loopback names are one host)", async () => {
      expect((await call(good())).status).toBe(202);
      const viaIp = signAccessToken(KEY, { audience: `http://127.0.0.1:${service.port}${path}` });
      expect((await call(viaIp)).status).toBe(202);
    });

    it.each([
      ["no token", () => undefined],
      ["a token for another URL", () => good("/api/hubs/orders/:send")],
      [
        "a token signed with another key",
        () =>
          signAccessToken("another-key-0123456789abcdefghijklmnopq", {
            audience: `${service.endpoint}${path}`,
          }),
      ],
    ])("refuses %s with 401", async (_name, token) => {
      expect((await call(token())).status).toBe(401);
    });

    it("refuses a dated route without api-version, a bad hub name or payload with 400", async () => {
      expect((await call(good(), path, "")).status).toBe(400);
      const badHub = "/api/hubs/1orders/users/ada/:send";
      expect((await call(good(badHub), badHub)).status).toBe(400);
      expect((await call(good(), path, undefined, '{"arguments":[]}')).status).toBe(400);
      expect((await call(good(), path, undefined, "not json")).status).toBe(400);
    });

    it("answers 404 for an unknown route and 200 for health without a token", async () => {
      expect((await call(good("/api/nothing"), "/api/nothing")).status).toBe(404);
      expect(
        (await fetch(`${service.endpoint}/api/health?api-version=2022-06-01`, { method: "HEAD" }))
          .status,
      ).toBe(200);
    });

    it("issues a client token for a user through generateToken", async () => {
      const target = "/api/hubs/orders/:generateToken";
      const res = await fetch(`${service.endpoint}${target}?api-version=2022-11-01&userId=ada`, {
        method: "POST",
        headers: { Authorization: `Bearer ${good(target)}` },
      });
      expect(res.status).toBe(200);
      const { token } = (await res.json()) as { token: string };
      expect((await negotiate(token)).status).toBe(200);
      expect(jwt.decode(token)).toMatchObject({ nameid: "ada", aud: clientUrl() });
    });
  });
});
