/**
 * The service's REST data plane, which the Functions `signalR` output binding and the
 * management SDK call: send to everyone, a user, a connection or a group; add and remove
 * users and connections in groups; existence checks. Both route families are served: v1
 * (`/api/v1/hubs/{hub}/…`) and the dated one (`/api/hubs/{hub}/…/:send?api-version=2022-06-01`).
 * Every call but health needs a bearer token signed with the AccessKey whose `aud` is the
 * request URL without its query. Sources: Azure/azure-signalr docs/rest-api.md,
 * docs/swagger/v1.json and docs/swagger/V20220601.md.
 */
import { TokenRefusedError, bearerToken, signAccessToken, verifyAccessToken } from "./accessToken";
import { invocationFrame } from "./hubProtocol";
import type { HubRegistry } from "./hubRegistry";

export interface RestRequest {
  readonly method: string;
  readonly url: URL;
  readonly authorization: string | undefined;
  /** Origins this request could have been addressed to (for the audience check). */
  readonly origins: readonly string[];
  readonly body: string;
}

export interface RestResponse {
  readonly status: number;
  readonly body?: unknown;
}

interface RouteContext {
  readonly hub: string;
  readonly params: Readonly<Record<string, string>>;
  readonly url: URL;
  readonly body: string;
  readonly origins: readonly string[];
}

type Handler = (registry: HubRegistry, ctx: RouteContext) => RestResponse;

/** Hub and application names: a letter first, then letters, digits or underscores. */
const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function error(status: number, code: string, message: string): RestResponse {
  return { status, body: { code, message } };
}

function payloadOf(body: string): { target: string; arguments: unknown[] } | RestResponse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return error(400, "InvalidPayload", "The body is not JSON.");
  }
  const { target, arguments: args } = (parsed ?? {}) as { target?: unknown; arguments?: unknown };
  if (typeof target !== "string" || target === "")
    return error(400, "InvalidPayload", "The payload needs a non-empty 'target'.");
  if (args !== undefined && !Array.isArray(args))
    return error(400, "InvalidPayload", "'arguments' must be an array.");
  return { target, arguments: (args as unknown[] | undefined) ?? [] };
}

function send(
  ctx: RouteContext,
  deliver: (frames: string, excluded: ReadonlySet<string>) => void,
): RestResponse {
  const payload = payloadOf(ctx.body);
  if ("status" in payload) return payload;
  deliver(
    invocationFrame(payload.target, payload.arguments),
    new Set(ctx.url.searchParams.getAll("excluded")),
  );
  return { status: 202 };
}

const exists = (found: boolean): RestResponse => ({ status: found ? 200 : 404 });

function closeConnection(registry: HubRegistry, ctx: RouteContext): boolean {
  const target = registry.all().find((c) => c.hub === ctx.hub && c.id === ctx.params.connectionId);
  target?.close(ctx.url.searchParams.get("reason") ?? undefined, false);
  return target !== undefined;
}

/** [method, path pattern, needs api-version, handler]. `{x}` is a path segment. */
const ROUTES: Array<[string, string, boolean, Handler]> = [
  // v1
  ["POST", "api/v1/hubs/{hub}", false, (r, c) => send(c, (f, x) => r.sendToAll(c.hub, f, x))],
  [
    "POST",
    "api/v1/hubs/{hub}/users/{user}",
    false,
    (r, c) => send(c, (f) => r.sendToUser(c.hub, c.params.user!, f)),
  ],
  [
    "GET",
    "api/v1/hubs/{hub}/users/{user}",
    false,
    (r, c) => exists(r.connectionsOfUser(c.hub, c.params.user!).length > 0),
  ],
  [
    "POST",
    "api/v1/hubs/{hub}/connections/{connectionId}",
    false,
    (r, c) => send(c, (f) => r.sendToConnection(c.hub, c.params.connectionId!, f)),
  ],
  [
    "GET",
    "api/v1/hubs/{hub}/connections/{connectionId}",
    false,
    (r, c) => exists(r.hasConnection(c.hub, c.params.connectionId!)),
  ],
  [
    "DELETE",
    "api/v1/hubs/{hub}/connections/{connectionId}",
    false,
    (r, c) => {
      closeConnection(r, c);
      return { status: 202 };
    },
  ],
  [
    "POST",
    "api/v1/hubs/{hub}/groups/{group}",
    false,
    (r, c) => send(c, (f, x) => r.sendToGroup(c.hub, c.params.group!, f, x)),
  ],
  [
    "GET",
    "api/v1/hubs/{hub}/groups/{group}",
    false,
    (r, c) => exists(r.groupHasConnections(c.hub, c.params.group!)),
  ],
  [
    "PUT",
    "api/v1/hubs/{hub}/groups/{group}/connections/{connectionId}",
    false,
    (r, c) => {
      r.addConnectionToGroup(c.hub, c.params.group!, c.params.connectionId!);
      return { status: 202 };
    },
  ],
  [
    "DELETE",
    "api/v1/hubs/{hub}/groups/{group}/connections/{connectionId}",
    false,
    (r, c) => {
      r.removeConnectionFromGroup(c.hub, c.params.group!, c.params.connectionId!);
      return { status: 202 };
    },
  ],
  ...[
    "api/v1/hubs/{hub}/groups/{group}/users/{user}",
    "api/v1/hubs/{hub}/users/{user}/groups/{group}",
  ].flatMap((path): Array<[string, string, boolean, Handler]> => [
    ["GET", path, false, (r, c) => exists(r.userInGroup(c.hub, c.params.group!, c.params.user!))],
    [
      "PUT",
      path,
      false,
      (r, c) => {
        r.addUserToGroup(c.hub, c.params.group!, c.params.user!);
        return { status: 202 };
      },
    ],
    [
      "DELETE",
      path,
      false,
      (r, c) => {
        r.removeUserFromGroup(c.hub, c.params.group!, c.params.user!);
        return { status: 202 };
      },
    ],
  ]),
  [
    "DELETE",
    "api/v1/hubs/{hub}/users/{user}/groups",
    false,
    (r, c) => {
      r.removeUserFromAllGroups(c.hub, c.params.user!);
      return { status: 202 };
    },
  ],
  // 2022-06-01 and later
  ["POST", "api/hubs/{hub}/:send", true, (r, c) => send(c, (f, x) => r.sendToAll(c.hub, f, x))],
  [
    "POST",
    "api/hubs/{hub}/users/{user}/:send",
    true,
    (r, c) => send(c, (f) => r.sendToUser(c.hub, c.params.user!, f)),
  ],
  [
    "POST",
    "api/hubs/{hub}/connections/{connectionId}/:send",
    true,
    (r, c) => send(c, (f) => r.sendToConnection(c.hub, c.params.connectionId!, f)),
  ],
  [
    "POST",
    "api/hubs/{hub}/groups/{group}/:send",
    true,
    (r, c) => send(c, (f, x) => r.sendToGroup(c.hub, c.params.group!, f, x)),
  ],
  [
    "HEAD",
    "api/hubs/{hub}/users/{user}",
    true,
    (r, c) => exists(r.connectionsOfUser(c.hub, c.params.user!).length > 0),
  ],
  [
    "HEAD",
    "api/hubs/{hub}/groups/{group}",
    true,
    (r, c) => exists(r.groupHasConnections(c.hub, c.params.group!)),
  ],
  [
    "HEAD",
    "api/hubs/{hub}/connections/{connectionId}",
    true,
    (r, c) => exists(r.hasConnection(c.hub, c.params.connectionId!)),
  ],
  [
    "DELETE",
    "api/hubs/{hub}/connections/{connectionId}",
    true,
    (r, c) => {
      closeConnection(r, c);
      return { status: 200 };
    },
  ],
  [
    "PUT",
    "api/hubs/{hub}/users/{user}/groups/{group}",
    true,
    (r, c) => {
      r.addUserToGroup(c.hub, c.params.group!, c.params.user!);
      return { status: 200 };
    },
  ],
  [
    "DELETE",
    "api/hubs/{hub}/users/{user}/groups/{group}",
    true,
    (r, c) => {
      r.removeUserFromGroup(c.hub, c.params.group!, c.params.user!);
      return { status: 204 };
    },
  ],
  [
    "HEAD",
    "api/hubs/{hub}/users/{user}/groups/{group}",
    true,
    (r, c) => exists(r.userInGroup(c.hub, c.params.group!, c.params.user!)),
  ],
  [
    "DELETE",
    "api/hubs/{hub}/users/{user}/groups",
    true,
    (r, c) => {
      r.removeUserFromAllGroups(c.hub, c.params.user!);
      return { status: 204 };
    },
  ],
  [
    "PUT",
    "api/hubs/{hub}/groups/{group}/connections/{connectionId}",
    true,
    (r, c) => exists(r.addConnectionToGroup(c.hub, c.params.group!, c.params.connectionId!)),
  ],
  [
    "DELETE",
    "api/hubs/{hub}/groups/{group}/connections/{connectionId}",
    true,
    (r, c) => {
      r.removeConnectionFromGroup(c.hub, c.params.group!, c.params.connectionId!);
      return { status: 200 };
    },
  ],
];

function match(pattern: string, segments: readonly string[]): Record<string, string> | undefined {
  const parts = pattern.split("/");
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const segment = segments[i]!;
    if (part.startsWith("{")) {
      if (segment === "") return undefined;
      params[part.slice(1, -1)] = segment;
    } else if (part.toLowerCase() !== segment.toLowerCase()) return undefined;
  }
  return params;
}

/**
 * Answers one REST call. `generateToken` (a client token for a user, which identity-based
 * callers ask for because they hold no AccessKey) signs with the same key.
 */
export function handleRestRequest(
  registry: HubRegistry,
  accessKey: string,
  request: RestRequest,
): RestResponse {
  const path = request.url.pathname.replace(/^\/+|\/+$/g, "");
  const segments = path.split("/").map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  if (/^(GET|HEAD)$/.test(request.method) && /^api\/(v1\/)?health$/i.test(path))
    return { status: 200 };
  const generate = match("api/hubs/{hub}/:generateToken", segments);
  const found = ROUTES.flatMap(([method, pattern, dated, handler]) => {
    const params = match(pattern, segments);
    return params ? [{ method, dated, handler, params }] : [];
  });
  if (found.length === 0 && !generate) return error(404, "NotFound", `No route for /${path}.`);
  const route =
    found.find((r) => r.method === request.method) ??
    (generate && request.method === "POST" ? undefined : null);
  if (route === null)
    return error(405, "MethodNotAllowed", `${request.method} is not allowed on /${path}.`);
  const params = route?.params ?? generate!;
  const application = request.url.searchParams.get("application");
  if (!NAME.test(params.hub!) || (application !== null && !NAME.test(application)))
    return error(
      400,
      "InvalidHubName",
      "Hub and application names start with a letter and hold only letters, digits and underscores.",
    );
  if ((route?.dated ?? true) && !request.url.searchParams.get("api-version"))
    return error(400, "MissingApiVersion", "The api-version query parameter is required.");

  const token = bearerToken(request.authorization);
  if (!token) return error(401, "Unauthorized", "A bearer token is required.");
  try {
    verifyAccessToken(
      token,
      accessKey,
      request.origins.map((o) => `${o}${request.url.pathname}`),
    );
  } catch (refused) {
    if (refused instanceof TokenRefusedError) return error(401, "Unauthorized", refused.message);
    throw refused;
  }
  const hub = (application ? `${application}_${params.hub!}` : params.hub!).toLowerCase();
  if (!route) {
    const userId = request.url.searchParams.get("userId") ?? undefined;
    const minutes = Number(request.url.searchParams.get("minutesToExpire") ?? "60");
    return {
      status: 200,
      body: {
        token: signAccessToken(accessKey, {
          audience: `${request.origins[0]!}/client/?hub=${hub}`,
          ...(userId ? { userId } : {}),
          lifetimeSeconds: Number.isFinite(minutes) && minutes > 0 ? minutes * 60 : 3600,
        }),
      },
    };
  }
  return route.handler(registry, {
    hub,
    params: route.params,
    url: request.url,
    body: request.body,
    origins: request.origins,
  });
}
