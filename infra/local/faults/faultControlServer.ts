/**
 * The control API of the fault injector, HTTP on loopback in the stand-ins process:
 *
 *   GET    /faults                     what is on, what each fault did so far, and when
 *   POST   /faults/{target}/{fault}    switch one on; JSON body as in FAULT_COMMANDS
 *   DELETE /faults/{target}/{fault}    switch that one off
 *   DELETE /faults                     switch every fault off
 *
 * Each answers the snapshot after the change. A bad request is `application/problem+json`
 * naming the field; an unknown fault is 404; `host kill` without a host to kill is 409.
 */
import http, { type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FAULT_COMMANDS, FAULT_COMMAND_NAMES, type FieldIssue } from "./faultCommands";
import type { FaultInjector } from "./faultInjector";

export interface FaultControlServer {
  readonly port: number;
  /** e.g. `http://127.0.0.1:7075`. */
  readonly url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024;

export async function startFaultControlServer(
  faults: FaultInjector,
  options: { readonly port?: number; readonly host?: string } = {},
): Promise<FaultControlServer> {
  const host = options.host ?? "127.0.0.1";
  const server: Server = http.createServer((req, res) => {
    handle(faults, req, res).catch((error: unknown) =>
      problem(res, 500, "Fault request failed", String(error)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(faults: FaultInjector, req: IncomingMessage, res: ServerResponse) {
  const path = new URL(req.url ?? "/", "http://localhost").pathname.replace(/\/$/, "");
  if (path === "/faults" && req.method === "GET") return json(res, 200, faults.snapshot());
  if (path === "/faults" && req.method === "DELETE") {
    faults.clear();
    return json(res, 200, faults.snapshot());
  }
  const route = /^\/faults\/([^/]+)\/([^/]+)$/.exec(path);
  if (!route) return problem(res, 404, "Not found", `No route ${req.method ?? ""} ${path}.`);
  const name = `${route[1]} ${route[2]}`;
  const command = FAULT_COMMANDS[name];
  if (!command) {
    return problem(
      res,
      404,
      "Unknown fault",
      `No fault "${name}". Known: ${FAULT_COMMAND_NAMES.join(", ")}.`,
    );
  }
  if (req.method === "DELETE") {
    command.clear(faults);
    return json(res, 200, faults.snapshot());
  }
  if (req.method !== "POST") return problem(res, 405, "Method not allowed", "Use POST or DELETE.");
  if (name === "host kill" && !faults.host.available) {
    return problem(
      res,
      409,
      "No host to kill",
      "These stand-ins run without a Functions host they own (start them with npm start -- --faults).",
    );
  }
  let body: unknown;
  try {
    const text = await readBody(req);
    body = text.trim() === "" ? {} : JSON.parse(text);
  } catch (error) {
    return problem(res, 400, "Invalid fault request", (error as Error).message, [
      { field: "(body)", message: "must be a JSON object" },
    ]);
  }
  const result = command.run(faults, body);
  if ("issues" in result) {
    const fields = result.issues.map((i) => i.field).join(", ");
    return problem(res, 400, "Invalid fault request", `Invalid ${fields}.`, result.issues);
  }
  await result.done;
  return json(res, 200, faults.snapshot());
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new Error(`body over ${MAX_BODY_BYTES} bytes`));
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(value));
}

function problem(
  res: ServerResponse,
  status: number,
  title: string,
  detail: string,
  errors?: readonly FieldIssue[],
): void {
  res.writeHead(status, { "content-type": "application/problem+json; charset=utf-8" });
  res.end(
    JSON.stringify({ type: "about:blank", title, status, detail, ...(errors ? { errors } : {}) }),
  );
}
