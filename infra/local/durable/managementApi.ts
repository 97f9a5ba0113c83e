/**
 * The Durable HTTP management API under `/runtime/webhooks/durabletask`, in the shape of
 * Microsoft's documented API: start (202 + check-status payload, 409 taken id), status (202 +
 * `Location` + `Retry-After` while not finished, 200 when finished, 404 unknown), raise event
 * (202/404/410), terminate (202/404/410), purge (200/404/412) and list (filters, `top`,
 * `x-ms-continuation-token`).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { managementPayload, WEBHOOK_PATH, type DurableClientData } from "./clientData";
import {
  StartConflictError,
  UnknownFunctionError,
  type ManagementOperations,
} from "./managementOperations";
import { isTerminal } from "./protocol";
import { statusPayload } from "./statusPayload";

const RETRY_AFTER_SECONDS = "10";
const CONTINUATION_HEADER = "x-ms-continuation-token";

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function send(
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    ...(body === undefined ? {} : { "Content-Type": "application/json; charset=utf-8" }),
    "Content-Length": Buffer.byteLength(text).toString(),
    ...headers,
  });
  res.end(text);
}

function flag(value: string | null, fallback: boolean): boolean {
  if (value === null) return fallback;
  return value.toLowerCase() === "true";
}

/** Validates a JSON body; an empty body is `null`. */
function jsonOrNull(text: string): string | undefined {
  if (text.trim() === "") return "null";
  try {
    JSON.parse(text);
    return text;
  } catch {
    return undefined;
  }
}

export function createManagementApi(
  engine: ManagementOperations,
  clientData: () => DurableClientData,
) {
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (!url.pathname.toLowerCase().startsWith(WEBHOOK_PATH)) return false;
    const parts = url.pathname
      .slice(WEBHOOK_PATH.length)
      .split("/")
      .filter((p) => p !== "")
      .map((p) => decodeURIComponent(p));
    const method = (req.method ?? "GET").toUpperCase();
    const q = url.searchParams;
    const [root, id, action, eventName] = parts;

    if (root === "orchestrators" && method === "POST" && id && parts.length <= 3) {
      const input = jsonOrNull(await readBody(req));
      if (input === undefined)
        return (send(res, 400, { message: "The request body is not valid JSON." }), true);
      try {
        const record = await engine.startNew(id, action, input);
        const payload = managementPayload(clientData(), record.instanceId);
        send(res, 202, payload, {
          Location: payload.statusQueryGetUri ?? "",
          "Retry-After": RETRY_AFTER_SECONDS,
        });
      } catch (error) {
        if (error instanceof StartConflictError) send(res, 409, { message: error.message });
        else if (error instanceof UnknownFunctionError) send(res, 400, { message: error.message });
        else throw error;
      }
      return true;
    }
    if (root !== "instances")
      return (send(res, 404, { message: "Unknown Durable management route." }), true);

    if (!id) {
      const statuses = (q.get("runtimeStatus") ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");
      const query = {
        runtimeStatus: statuses,
        createdTimeFrom: q.get("createdTimeFrom")
          ? new Date(q.get("createdTimeFrom") as string).toISOString()
          : undefined,
        createdTimeTo: q.get("createdTimeTo")
          ? new Date(q.get("createdTimeTo") as string).toISOString()
          : undefined,
        instanceIdPrefix: q.get("instanceIdPrefix") ?? undefined,
      };
      if (method === "GET") {
        const header = req.headers[CONTINUATION_HEADER];
        const token =
          typeof header === "string" && header !== ""
            ? Buffer.from(header, "base64").toString("utf8")
            : undefined;
        const top = Number(q.get("top") ?? "0");
        const page = await engine.list({
          ...query,
          top: top > 0 ? top : undefined,
          continuationToken: token,
        });
        const options = {
          showInput: flag(q.get("showInput"), true),
          showHistory: false,
          showHistoryOutput: false,
        };
        send(
          res,
          200,
          page.items.map((r) => statusPayload(r, options)),
          page.continuationToken
            ? { [CONTINUATION_HEADER]: Buffer.from(page.continuationToken).toString("base64") }
            : {},
        );
        return true;
      }
      if (method === "DELETE") {
        let deleted = 0;
        let token: string | undefined;
        do {
          const page = await engine.list({ ...query, top: 100, continuationToken: token });
          for (const r of page.items)
            if (isTerminal(r.runtimeStatus) && (await engine.purge(r.instanceId)) === 200)
              deleted++;
          token = page.continuationToken;
        } while (token);
        send(res, deleted > 0 ? 200 : 404, { instancesDeleted: deleted });
        return true;
      }
      return (send(res, 405), true);
    }

    if (!action) {
      if (method === "GET") {
        const record = await engine.getInstance(id);
        if (!record) return (send(res, 404), true);
        const options = {
          showInput: flag(q.get("showInput"), true),
          showHistory: flag(q.get("showHistory"), false),
          showHistoryOutput: flag(q.get("showHistoryOutput"), false),
        };
        const history = options.showHistory ? await engine.getHistory(record) : undefined;
        const body = statusPayload(record, options, history);
        if (isTerminal(record.runtimeStatus)) send(res, 200, body);
        else {
          const location = new URL(req.url ?? "/", clientData().baseUrl).href;
          send(res, 202, body, { Location: location, "Retry-After": RETRY_AFTER_SECONDS });
        }
        return true;
      }
      if (method === "DELETE") {
        const code = await engine.purge(id);
        if (code === 200) send(res, 200, { instancesDeleted: 1 });
        else if (code === 404) send(res, 404, { instancesDeleted: 0 });
        else
          send(res, 412, {
            message: `Instance '${id}' is not in a finished state and cannot be purged.`,
          });
        return true;
      }
      return (send(res, 405), true);
    }

    if (action === "raiseEvent" && method === "POST" && eventName) {
      const data = jsonOrNull(await readBody(req));
      if (data === undefined)
        return (send(res, 400, { message: "The request body is not valid JSON." }), true);
      const code = await engine.raiseEvent(id, eventName, data);
      send(res, code, code === 202 ? undefined : { message: messageFor(code, id) });
      return true;
    }
    if (action === "terminate" && method === "POST") {
      const code = await engine.terminate(id, q.get("reason") ?? "");
      send(res, code, code === 202 ? undefined : { message: messageFor(code, id) });
      return true;
    }
    send(res, 404, { message: "Unknown Durable management route." });
    return true;
  };
}

function messageFor(code: number, id: string): string {
  return code === 404
    ? `No instance with ID '${id}' found.`
    : `Instance '${id}' has already finished.`;
}
