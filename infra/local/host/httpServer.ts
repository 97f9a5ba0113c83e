/**
 * The HTTP trigger: a `node:http` server that routes `/{routePrefix}/{route}` to HTTP-triggered
 * functions, hands other paths to plugins (the Durable management API), and serves the
 * host's own `/admin/host/status`. Requests become RPC `http` typed data and run through the
 * invoker; the function's `http` output becomes the response.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { RpcHttpData } from "./coreTypes";
import { toSetCookie } from "./httpCookies";
import { isAuthorized, isSystemAuthorized, WEBHOOKS_PREFIX, type KeySettings } from "./httpKeys";
import type { LogWriter } from "./logger";
import type { FunctionInvoker, HostPlugin, RegisteredFunction, RpcTypedDataLike } from "./plugin";
import { compareRoutes, compileRoute, type CompiledRoute } from "./routeTemplate";

/** Functions' default request body limit: 100 MB (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT). */
export const DEFAULT_BODY_LIMIT_BYTES = 104_857_600;

export interface HttpRoute {
  readonly fn: RegisteredFunction;
  readonly route: CompiledRoute;
  /** Upper-case methods; undefined accepts any method. */
  readonly methods: ReadonlySet<string> | undefined;
  readonly authLevel: unknown;
}

export interface HttpServerOptions {
  readonly port: number;
  readonly hostname: string;
  readonly routePrefix: string;
  readonly functions: readonly RegisteredFunction[];
  readonly invoker: FunctionInvoker;
  readonly plugins: () => readonly HostPlugin[];
  readonly keys: KeySettings;
  readonly bodyLimitBytes: number;
  readonly log: LogWriter;
  /** What `GET /admin/host/stats` answers (benchmarks). */
  readonly stats?: () => Record<string, unknown>;
}

export interface RunningHttpServer {
  readonly server: http.Server;
  readonly port: number;
  readonly baseUrl: string;
  readonly routes: readonly HttpRoute[];
  /** Stops accepting connections and resolves when in-flight requests have finished. */
  close(timeoutMs?: number): Promise<void>;
}

/** The HTTP-triggered functions as routes, most specific first. */
export function httpRoutesOf(functions: readonly RegisteredFunction[]): HttpRoute[] {
  const routes: HttpRoute[] = [];
  for (const fn of functions) {
    if (fn.triggerType.toLowerCase() !== "httptrigger") continue;
    const trigger = fn.bindings[fn.triggerBindingName];
    const template = typeof trigger?.route === "string" && trigger.route ? trigger.route : fn.name;
    const methods = Array.isArray(trigger?.methods)
      ? new Set((trigger.methods as unknown[]).map((m) => String(m).toUpperCase()))
      : undefined;
    routes.push({ fn, route: compileRoute(template), methods, authLevel: trigger?.authLevel });
  }
  return routes.sort((a, b) => compareRoutes(a.route, b.route));
}

class BodyTooLargeError extends Error {}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > limit) return Promise.reject(new BodyTooLargeError());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/**
 * One string per header name, as Azure's host hands them to the worker: it copies each
 * ASP.NET Core header with `StringValues.ToString()`, which joins a repeated header's values
 * with ",". `req.headers` would not do: Node keeps only the first of a repeated
 * Content-Type, Authorization, Host and a few others, so the app could not see the
 * repetition here that it sees in Azure. `headersDistinct` keeps every value.
 */
function flatHeaders(req: http.IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    if (values !== undefined) headers[name] = values.join(",");
  }
  return headers;
}

function bodyBytes(body: RpcTypedDataLike | null | undefined): Buffer | undefined {
  if (!body) return undefined;
  if (body.bytes)
    return Buffer.from(body.bytes.buffer, body.bytes.byteOffset, body.bytes.byteLength);
  if (typeof body.string === "string") return Buffer.from(body.string);
  if (typeof body.json === "string") return Buffer.from(body.json);
  return undefined;
}

function send(
  res: http.ServerResponse,
  status: number,
  body?: string,
  contentType = "text/plain; charset=utf-8",
): void {
  if (res.headersSent) return;
  res.statusCode = status;
  if (body !== undefined) {
    res.setHeader("content-type", contentType);
    res.end(body);
  } else res.end();
}

/** The `http` output of an invocation: `$return` or a named `http` output binding. */
function httpOutputOf(
  fn: RegisteredFunction,
  result: {
    returnValue?: RpcTypedDataLike | null;
    outputData: Array<{ name: string; data: RpcTypedDataLike }>;
  },
): RpcHttpData | undefined {
  for (const [name, binding] of Object.entries(fn.bindings)) {
    if (binding.type.toLowerCase() !== "http" || binding.direction === "in") continue;
    const data =
      name === "$return"
        ? result.returnValue
        : result.outputData.find((o) => o.name === name)?.data;
    if (data?.http) return data.http;
  }
  return undefined;
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const routes = httpRoutesOf(options.functions);
  const prefix = options.routePrefix ? `/${options.routePrefix}` : "";
  let closing = false;
  const started = new Date().toISOString();

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (closing) res.setHeader("connection", "close");
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
    const pathname = url.pathname;
    const method = (req.method ?? "GET").toUpperCase();

    if (pathname === "/admin/host/status") {
      send(
        res,
        200,
        JSON.stringify({
          state: closing ? "Stopping" : "Running",
          version: "4.x-local",
          processUptime: process.uptime(),
          pid: process.pid,
          startedAt: started,
        }),
        "application/json; charset=utf-8",
      );
      return;
    }
    if (pathname === "/admin/host/stats" && options.stats) {
      send(res, 200, JSON.stringify(options.stats()), "application/json; charset=utf-8");
      return;
    }
    let routePath: string | undefined;
    if (prefix === "") routePath = pathname;
    else if (pathname.toLowerCase() === prefix.toLowerCase()) routePath = "";
    else if (pathname.toLowerCase().startsWith(prefix.toLowerCase() + "/"))
      routePath = pathname.slice(prefix.length);

    const keyHeader = req.headers["x-functions-key"];
    const presented =
      (Array.isArray(keyHeader) ? keyHeader[0] : keyHeader) ??
      url.searchParams.get("code") ??
      undefined;
    // Extension webhooks are keyed before any plugin sees them, whatever
    // LOCAL_HOST_ENFORCE_KEYS says (httpKeys.ts).
    if (pathname.toLowerCase().startsWith(WEBHOOKS_PREFIX)) {
      if (!isSystemAuthorized(options.keys, presented)) {
        send(res, 401);
        return;
      }
    }
    if (routePath === undefined || prefix === "") {
      for (const plugin of options.plugins()) {
        if (plugin.handleHttp && (await plugin.handleHttp(req, res))) return;
      }
      if (routePath === undefined) {
        if (pathname === "/" && (method === "GET" || method === "HEAD")) {
          send(res, 200, "Your Functions 4.0 app is up and running (local host)\n");
        } else send(res, 404);
        return;
      }
    }

    let matched: { route: HttpRoute; params: Record<string, string> } | undefined;
    for (const route of routes) {
      // A route whose methods exclude this one is skipped: the Functions host answers a
      // wrong method with 404, as if the route did not exist (no 405).
      if (route.methods && !route.methods.has(method)) continue;
      const params = route.route.match(routePath);
      if (params) {
        matched = { route, params };
        break;
      }
    }
    if (!matched) {
      send(res, 404);
      return;
    }
    if (!isAuthorized(options.keys, matched.route.authLevel, presented)) {
      send(res, 401);
      return;
    }

    let body: Buffer;
    try {
      body = await readBody(req, options.bodyLimitBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        res.setHeader("connection", "close");
        send(res, 413, `Request body larger than ${options.bodyLimitBytes} bytes.\n`);
        req.resume();
        return;
      }
      throw error;
    }

    const fn = matched.route.fn;
    const rpcHttp: RpcHttpData = {
      method,
      url: `http://${req.headers.host ?? `127.0.0.1:${server.address() && (server.address() as AddressInfo).port}`}${req.url ?? "/"}`,
      headers: flatHeaders(req),
      params: matched.params,
      ...(body.length > 0 ? { body: { bytes: body } } : {}),
    };
    let result;
    try {
      result = await options.invoker.invoke(fn, {
        inputData: [{ name: fn.triggerBindingName, data: { http: rpcHttp } }],
        triggerMetadata: {},
        traceContext: {
          ...(typeof req.headers.traceparent === "string"
            ? { traceParent: req.headers.traceparent }
            : {}),
          ...(typeof req.headers.tracestate === "string"
            ? { traceState: req.headers.tracestate }
            : {}),
        },
      });
    } catch {
      // The invoker has logged the failure; the caller gets what Functions gives: a bare 500.
      send(res, 500);
      return;
    }
    const out = httpOutputOf(fn, result);
    if (!out) {
      send(res, 204);
      return;
    }
    res.statusCode = Number(out.statusCode ?? "200") || 200;
    for (const [name, value] of Object.entries(out.headers ?? {})) res.setHeader(name, value);
    const cookies = (out.cookies ?? []).map(toSetCookie);
    if (cookies.length > 0) res.setHeader("set-cookie", cookies);
    const payload = bodyBytes(out.body);
    res.end(method === "HEAD" ? undefined : payload);
  }

  const server = http.createServer((req, res) => {
    // A keep-alive connection whose last request ends during shutdown is closed right away.
    res.once("finish", () => {
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
    handle(req, res).catch((error: unknown) => {
      options.log.log({
        level: "error",
        category: "system",
        message: `HTTP request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      });
      send(res, 500);
    });
  });
  // Keep-alive beyond a typical client's, so connection reuse works under load.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost =
    options.hostname === "0.0.0.0" || options.hostname === "::" ? "localhost" : options.hostname;
  const baseUrl = `http://${shownHost}:${port}`;

  return {
    server,
    port,
    baseUrl,
    routes,
    close(timeoutMs = 30_000): Promise<void> {
      closing = true;
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.closeAllConnections();
          resolve();
        }, timeoutMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        // Idle keep-alive connections would hold close() open; in-flight ones finish first.
        server.closeIdleConnections();
      });
    },
  };
}
