/**
 * Faults of the Cosmos stand-in, answered the way the Cosmos DB gateway answers, so the
 * real `@azure/cosmos` client's own retry policies are what handles them:
 *
 * - throttle: 429 with `x-ms-substatus: 3200` (RUBudgetExceeded) and `x-ms-retry-after-ms`;
 *   the SDK waits that long and retries, by default up to 9 times within 30 s
 *   (ResourceThrottleRetryPolicy). Status, substatus and header: learn.microsoft.com/rest/api/cosmos-db/http-status-codes-for-cosmosdb
 *   and learn.microsoft.com/azure/cosmos-db/nosql/troubleshoot-request-rate-too-large.
 * - unavailable: 503 ServiceUnavailable with no substatus (the .NET SDK reads that as
 *   ServerGenerated503). The JS SDK retries it once for a read in another region and never
 *   for a write on a single-region account (TimeoutFailoverRetryPolicy), so the app sees it.
 * - delay: the request is held before the server handles it.
 *
 * Only document operations (`…/colls/{id}/docs…`: reads, writes, queries, batches) are
 * affected: the account, database and container reads the SDK makes on start-up are
 * metadata requests, which the service throttles separately (and rarely).
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { FaultLog } from "./faultLog";
import { FaultWindow } from "./faultWindow";

export interface CosmosThrottle {
  /** Share of document requests answered 429, 0..1. */
  readonly share: number;
  readonly retryAfterMs: number;
}

export interface CosmosUnavailable {
  readonly share: number;
}

export interface CosmosDelay {
  readonly ms: number;
  /** Share of document requests delayed, 0..1 (all by default). */
  readonly share: number;
}

export interface CosmosFaultCounts {
  /** Document requests the server received. */
  readonly documentRequests: number;
  readonly throttled: number;
  readonly unavailable: number;
  readonly delayed: number;
}

const DOCUMENT_PATH = /\/colls\/[^/]+\/docs(\/|$|\?)/;

/** The gateway's wording for RU throttling (troubleshoot-request-rate-too-large). */
const THROTTLE_MESSAGE =
  "Request rate is large. More Request Units may be needed, so no changes were made. Please try this request again later.";

export class CosmosFaults {
  readonly throttle: FaultWindow<CosmosThrottle>;
  readonly unavailable: FaultWindow<CosmosUnavailable>;
  readonly delay: FaultWindow<CosmosDelay>;
  #counts = { documentRequests: 0, throttled: 0, unavailable: 0, delayed: 0 };

  constructor(
    log: FaultLog,
    private readonly random: () => number = Math.random,
  ) {
    const pct = (share: number): string => `${Number((share * 100).toFixed(2))}%`;
    this.throttle = new FaultWindow(
      log,
      "cosmos",
      "throttle",
      (t) => `429 on ${pct(t.share)}, retry after ${t.retryAfterMs} ms`,
    );
    this.unavailable = new FaultWindow(
      log,
      "cosmos",
      "unavailable",
      (u) => `503 on ${pct(u.share)}`,
    );
    this.delay = new FaultWindow(log, "cosmos", "delay", (d) => `+${d.ms} ms on ${pct(d.share)}`);
  }

  counts(): CosmosFaultCounts {
    return { ...this.#counts };
  }

  clear(): void {
    this.throttle.clear();
    this.unavailable.clear();
    this.delay.clear();
  }

  /**
   * Puts the faults in front of the server's own request handler (the one
   * `@vercel/cosmosdb-server` registered): call right after the server is created.
   */
  install(server: Server): void {
    const handlers = server.listeners("request") as Array<
      (req: IncomingMessage, res: ServerResponse) => void
    >;
    server.removeAllListeners("request");
    const pass = (req: IncomingMessage, res: ServerResponse): void => {
      for (const handler of handlers) handler.call(server, req, res);
    };
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      if (!DOCUMENT_PATH.test(req.url ?? "")) return pass(req, res);
      this.#counts.documentRequests += 1;
      const throttle = this.throttle.get();
      if (throttle && this.random() < throttle.share) {
        this.#counts.throttled += 1;
        return answer(res, 429, "TooManyRequests", THROTTLE_MESSAGE, {
          "x-ms-substatus": "3200",
          "x-ms-retry-after-ms": String(throttle.retryAfterMs),
        });
      }
      const unavailable = this.unavailable.get();
      if (unavailable && this.random() < unavailable.share) {
        this.#counts.unavailable += 1;
        return answer(res, 503, "ServiceUnavailable", "Service is currently unavailable.", {});
      }
      const delay = this.delay.get();
      if (delay && this.random() < delay.share) {
        this.#counts.delayed += 1;
        setTimeout(() => pass(req, res), delay.ms);
        return;
      }
      pass(req, res);
    });
  }
}

function answer(
  res: ServerResponse,
  status: number,
  code: string,
  error: string,
  headers: Record<string, string>,
): void {
  const activityId = randomUUID();
  const body = JSON.stringify({
    code,
    message: `Message: ${JSON.stringify({ Errors: [error] })}\r\nActivityId: ${activityId}`,
  });
  res.writeHead(status, {
    "content-type": "application/json",
    "x-ms-activity-id": activityId,
    "x-ms-request-charge": "0",
    ...headers,
  });
  res.end(body);
}
