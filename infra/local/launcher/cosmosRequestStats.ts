/**
 * Counts the Cosmos server's requests by kind and container, with the documents and bytes each
 * kind moved, so a benchmark can tell what one order costs in Azure (Cosmos DB bills request
 * units by operation kind and document size; the local server charges nothing meaningful).
 *
 * Kinds follow the REST API of Azure Cosmos DB for NoSQL: a GET of `/dbs/{db}/colls/{c}/docs/{id}`
 * is a point read; a POST to `.../docs` is a query (`x-ms-documentdb-isquery`), the query plan
 * the SDK asks for before a query's first page (`x-ms-cosmos-is-query-plan-request`), a
 * transactional batch (`x-ms-cosmos-is-batch-request`), an upsert (`x-ms-documentdb-is-upsert`)
 * or a create;
 * PUT replaces, PATCH patches, DELETE deletes; everything else (account, database, container,
 * partition key ranges) is metadata the SDK caches.
 */
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from "node:http";

export type CosmosRequestKind =
  | "read"
  | "query"
  | "queryPlan"
  | "create"
  | "upsert"
  | "replace"
  | "patch"
  | "delete"
  | "batch"
  | "metadata";

export interface CosmosKindStats {
  /** Requests of this kind to this container. */
  requests: number;
  /** Documents written or returned (a batch's operations, a query's results, else 1). */
  documents: number;
  /** Bytes of those documents (request body for writes, response body for reads). */
  documentBytes: number;
}

/** By `"<kind> <container>"` (container `-` for metadata). */
export type CosmosRequestStats = Record<string, CosmosKindStats>;

const DOCS = /^\/dbs\/[^/]+\/colls\/([^/]+)\/docs(?:\/([^/?]+))?/;

function flag(headers: IncomingHttpHeaders, name: string): boolean {
  return String(headers[name] ?? "").toLowerCase() === "true";
}

export function classifyCosmosRequest(
  method: string,
  url: string,
  headers: IncomingHttpHeaders,
): { kind: CosmosRequestKind; container: string } {
  const match = DOCS.exec(url.split("?")[0] ?? "");
  if (!match) return { kind: "metadata", container: "-" };
  const container = decodeURIComponent(match[1] ?? "");
  const hasId = match[2] !== undefined;
  switch (method.toUpperCase()) {
    case "GET":
      return { kind: hasId ? "read" : "query", container };
    case "PUT":
      return { kind: "replace", container };
    case "PATCH":
      return { kind: "patch", container };
    case "DELETE":
      return { kind: "delete", container };
    case "POST":
      if (flag(headers, "x-ms-cosmos-is-query-plan-request"))
        return { kind: "queryPlan", container };
      if (flag(headers, "x-ms-documentdb-isquery")) return { kind: "query", container };
      if (flag(headers, "x-ms-cosmos-is-batch-request")) return { kind: "batch", container };
      return { kind: flag(headers, "x-ms-documentdb-is-upsert") ? "upsert" : "create", container };
    default:
      return { kind: "metadata", container };
  }
}

/** Documents and their bytes in a response body of this kind (the server answers JSON). */
function documentsIn(
  kind: CosmosRequestKind,
  body: string,
  requestBytes: number,
): [number, number] {
  if (kind === "query" || kind === "batch") {
    try {
      const parsed = JSON.parse(body) as unknown;
      const list = Array.isArray(parsed)
        ? parsed.map((op) => (op as { resourceBody?: unknown }).resourceBody ?? {})
        : ((parsed as { Documents?: unknown[] }).Documents ?? []);
      const bytes = list.reduce<number>((n, d) => n + JSON.stringify(d).length, 0);
      return [list.length, kind === "batch" ? Math.max(bytes, requestBytes) : bytes];
    } catch {
      return [0, 0];
    }
  }
  const writes = kind !== "read" && kind !== "metadata";
  return [1, writes ? requestBytes : body.length];
}

export class CosmosRequestRecorder {
  private readonly stats = new Map<string, CosmosKindStats>();

  /** Records every request the server answers from now on. */
  attach(server: Server): void {
    server.on("request", (req: IncomingMessage, res: ServerResponse) => this.observe(req, res));
  }

  snapshot(): CosmosRequestStats {
    return Object.fromEntries([...this.stats].map(([k, v]) => [k, { ...v }]));
  }

  private observe(req: IncomingMessage, res: ServerResponse): void {
    const { kind, container } = classifyCosmosRequest(
      req.method ?? "GET",
      req.url ?? "/",
      req.headers,
    );
    const requestBytes = Number(req.headers["content-length"] ?? "0");
    // The server answers with one `end(body)`; reading it there costs no extra copy.
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      const body = typeof args[0] === "string" ? args[0] : "";
      const [documents, documentBytes] = documentsIn(kind, body, requestBytes);
      const key = `${kind} ${container}`;
      const entry = this.stats.get(key) ?? { requests: 0, documents: 0, documentBytes: 0 };
      entry.requests += 1;
      entry.documents += documents;
      entry.documentBytes += documentBytes;
      this.stats.set(key, entry);
      return end(...args);
    }) as ServerResponse["end"];
  }
}
