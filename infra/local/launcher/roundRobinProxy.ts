/**
 * One address in front of several Functions host instances, as Azure's front end spreads HTTP
 * requests over a function app's instances: each request goes to the next instance in turn.
 * A request whose instance refuses the connection (it died or is restarting) goes to the next
 * one; the body is held until an instance takes it, so nothing is sent twice. Connections to
 * the instances are kept alive.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RoundRobinProxy {
  readonly port: number;
  readonly baseUrl: string;
  /** Replaces the instances' base URLs (a restarted instance may listen elsewhere). */
  setUpstreams(urls: readonly string[]): void;
  close(): Promise<void>;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** Hop-by-hop headers are the connection's own, not the request's (RFC 9110, 7.6.1). */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade"]);

function forwardHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
  }
  return out;
}

export async function startRoundRobinProxy(options: {
  port: number;
  hostname: string;
  upstreams: readonly string[];
}): Promise<RoundRobinProxy> {
  let upstreams = options.upstreams.map((u) => new URL(u));
  let next = 0;

  const forward = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: Buffer,
    attempt: number,
  ): void => {
    const target = upstreams[next++ % upstreams.length];
    if (!target) {
      res.writeHead(503).end();
      return;
    }
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...forwardHeaders(req.headers), "content-length": String(body.length) },
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", (error: NodeJS.ErrnoException) => {
      // Refused before it was sent: another instance may take it. Anything else may have
      // reached the instance, so it is the caller's to retry (a 502, as a gateway answers).
      if (error.code === "ECONNREFUSED" && attempt < upstreams.length && !res.headersSent) {
        forward(req, res, body, attempt + 1);
      } else if (!res.headersSent) {
        res.writeHead(502).end();
      } else {
        res.destroy();
      }
    });
    upstream.end(body);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => forward(req, res, Buffer.concat(chunks), 1));
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    baseUrl: `http://${options.hostname}:${port}`,
    setUpstreams(urls) {
      upstreams = urls.map((u) => new URL(u));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
