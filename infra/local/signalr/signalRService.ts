/**
 * The local Azure SignalR Service (serverless mode), on one HTTP port:
 * - `POST /client/negotiate?hub=…&negotiateVersion=1`: the second leg of the serverless
 *   negotiate redirect. The app's negotiate function returned `{url, accessToken}`; the
 *   unmodified `@microsoft/signalr` client posts here with that token and gets a connection
 *   token and the WebSockets transport;
 * - `GET /client/?hub=…&id=…` upgraded to a WebSocket (token in `access_token` from browsers,
 *   in the Authorization header from Node);
 * - `/api/…`: the REST data plane (restApi.ts).
 * Browsers reach it from the app's origin, so `/client/` answers CORS with credentials, as
 * the service does for the SignalR client's `withCredentials` requests.
 */
import { randomBytes } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { TokenRefusedError, bearerToken, verifyAccessToken } from "./accessToken";
import { acceptClient } from "./clientConnection";
import { formatSignalRConnectionString } from "./connectionString";
import { HubRegistry } from "./hubRegistry";
import { handleRestRequest } from "./restApi";

/** Microsoft's local emulator's port. */
export const DEFAULT_SIGNALR_PORT = 8888;

/**
 * The key Microsoft's emulator documents for its connection string (Azure/azure-signalr
 * docs/emulator.md); it opens only a local stand-in and is not a secret.
 */
export const LOCAL_SIGNALR_ACCESS_KEY = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH";

export interface StartSignalRServiceOptions {
  /** 0 picks a free port; 8888 by default. */
  readonly port?: number;
  readonly host?: string;
  readonly accessKey?: string;
  /** Pings to each client; 15 s by default, as the service. */
  readonly keepAliveIntervalMs?: number;
  readonly handshakeTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

export interface SignalRService {
  readonly port: number;
  /** `http://localhost:<port>`. */
  readonly endpoint: string;
  readonly connectionString: string;
  /** Frames delivered to clients so far. */
  delivered(): number;
  /** Connected clients of a hub (any case) and, optionally, one user. */
  connectionCount(hub: string, userId?: string): number;
  /** Sends Close (reconnect allowed) to every client and drops it, keeping the port open. */
  dropConnections(): void;
  /**
   * An outage, for tests of clients' fallbacks: while on, every client is dropped and new
   * negotiations and connections are answered 503, as a service that is down.
   */
  setUnavailable(unavailable: boolean): void;
  close(): Promise<void>;
}

interface Pending {
  readonly connectionId: string;
  readonly hub: string;
  readonly userId: string | undefined;
  readonly expires: number;
}

const NEGOTIATE_TTL_MS = 60_000;

/** Origins a request to this port may carry in its token: the loopback names are one host. */
function originsOf(req: IncomingMessage, port: number): string[] {
  const host = req.headers.host ?? `localhost:${port}`;
  const own = [`http://localhost:${port}`, `http://127.0.0.1:${port}`, `http://[::1]:${port}`];
  return own.includes(`http://${host}`) ? own : [`http://${host}`];
}

function reply(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
}

function cors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (!origin) return;
  res.setHeader("Access-Control-Allow-Origin", origin);
  res.setHeader("Access-Control-Allow-Credentials", "true");
  res.setHeader("Vary", "Origin");
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startSignalRService(
  options: StartSignalRServiceOptions = {},
): Promise<SignalRService> {
  const accessKey = options.accessKey ?? LOCAL_SIGNALR_ACCESS_KEY;
  const registry = new HubRegistry();
  const pending = new Map<string, Pending>();
  const wss = new WebSocketServer({ noServer: true });
  let port = 0;
  let unavailable = false;

  const clientToken = (req: IncomingMessage, url: URL, hub: string) => {
    const token =
      bearerToken(req.headers.authorization) ?? url.searchParams.get("access_token") ?? undefined;
    if (!token) throw new TokenRefusedError("no access token");
    return verifyAccessToken(
      token,
      accessKey,
      originsOf(req, port).map((o) => `${o}/client/?hub=${hub}`),
    );
  };

  const negotiate = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const hub = url.searchParams.get("hub")?.toLowerCase();
    if (!hub) return reply(res, 400, { error: "The hub query parameter is required." });
    let userId: string | undefined;
    try {
      userId = clientToken(req, url, hub).userId;
    } catch (error) {
      if (error instanceof TokenRefusedError) return reply(res, 401);
      throw error;
    }
    const now = Date.now();
    for (const [token, entry] of pending) if (entry.expires < now) pending.delete(token);
    const connectionToken = randomBytes(16).toString("base64url");
    const connectionId = randomBytes(16).toString("base64url");
    pending.set(connectionToken, { connectionId, hub, userId, expires: now + NEGOTIATE_TTL_MS });
    reply(res, 200, {
      negotiateVersion: 1,
      connectionId,
      connectionToken,
      availableTransports: [{ transport: "WebSockets", transferFormats: ["Text"] }],
    });
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
    const path = url.pathname.toLowerCase();
    const handle = async (): Promise<void> => {
      if (path === "/client/negotiate" || path === "/client/negotiate/") {
        cors(req, res);
        if (req.method === "OPTIONS") {
          res.setHeader("Access-Control-Allow-Methods", "POST, OPTIONS");
          const asked = req.headers["access-control-request-headers"];
          if (asked) res.setHeader("Access-Control-Allow-Headers", asked);
          return reply(res, 204);
        }
        if (req.method !== "POST") return reply(res, 405);
        await readBody(req);
        if (unavailable) return reply(res, 503);
        return negotiate(req, res, url);
      }
      if (path.startsWith("/api/")) {
        const body = await readBody(req);
        const result = handleRestRequest(registry, accessKey, {
          method: req.method ?? "GET",
          url,
          authorization: req.headers.authorization,
          origins: originsOf(req, port),
          body,
        });
        return reply(res, result.status, req.method === "HEAD" ? undefined : result.body);
      }
      reply(res, 404);
    };
    handle().catch((error: unknown) => {
      options.log?.(`SignalR: ${req.method} ${url.pathname} failed: ${String(error)}`);
      if (!res.headersSent) reply(res, 500);
    });
  });

  const refuseUpgrade = (socket: Duplex, status: number, text: string): void => {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
    const path = url.pathname.toLowerCase();
    if (path !== "/client" && path !== "/client/") return refuseUpgrade(socket, 404, "Not Found");
    if (unavailable) return refuseUpgrade(socket, 503, "Service Unavailable");
    const hub = url.searchParams.get("hub")?.toLowerCase();
    if (!hub) return refuseUpgrade(socket, 400, "Bad Request");
    let userId: string | undefined;
    try {
      userId = clientToken(req, url, hub).userId;
    } catch (error) {
      if (error instanceof TokenRefusedError) return refuseUpgrade(socket, 401, "Unauthorized");
      throw error;
    }
    const connectionToken = url.searchParams.get("id") ?? "";
    const entry = pending.get(connectionToken);
    // The connection token from negotiate is single-use and bound to the negotiated hub and user.
    if (!entry || entry.expires < Date.now() || entry.hub !== hub || entry.userId !== userId)
      return refuseUpgrade(socket, 404, "Not Found");
    pending.delete(connectionToken);
    wss.handleUpgrade(req, socket, head, (ws) => {
      acceptClient(ws, registry, {
        id: entry.connectionId,
        hub,
        userId,
        keepAliveIntervalMs: options.keepAliveIntervalMs ?? 15_000,
        handshakeTimeoutMs: options.handshakeTimeoutMs ?? 15_000,
        ...(options.log ? { log: options.log } : {}),
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? DEFAULT_SIGNALR_PORT, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const endpoint = `http://localhost:${port}`;
  const dropConnections = (): void => {
    for (const connection of registry.all()) connection.close(undefined, true);
  };
  return {
    port,
    endpoint,
    connectionString: formatSignalRConnectionString(endpoint, accessKey),
    delivered: () => registry.delivered,
    connectionCount: (hub, userId) =>
      registry
        .all()
        .filter((c) => c.hub === hub.toLowerCase() && (userId === undefined || c.userId === userId))
        .length,
    dropConnections,
    setUnavailable(value) {
      unavailable = value;
      if (value) dropConnections();
    },
    async close(): Promise<void> {
      dropConnections();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
