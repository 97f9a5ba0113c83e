import { randomUUID } from "node:crypto";
import { HEADERS } from "../../shared/contracts/http/common";
import { CORRELATION_ID_HEADER } from "./gatewayHeaders";

/** What the smoke test needs; fetch and sleep are injectable so a caller can bound them. */
export interface SmokeTestOptions {
  /** Base URL of the API including /api, e.g. https://apim-x.azure-api.net/api */
  readonly baseUrl: string;
  /** Entra ID access token for the API's audience. */
  readonly token: string;
  /**
   * Calls the Function App directly, without APIM, as this customer (X-Customer-Id), the way
   * local callers identify themselves. Leave unset when going through APIM, which sets it.
   */
  readonly customerId?: string;
  /** How long an order may take to settle, each wait. */
  readonly settleTimeoutInMs: number;
  readonly pollIntervalInMs?: number;
  readonly log?: (line: string) => void;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface SmokeTestResult {
  readonly orderId: string;
  readonly correlationId: string;
  readonly statuses: readonly string[];
}

interface Product {
  readonly sku: string;
  readonly available: number;
}

/** Statuses after which the saga waits for nobody but an operator or the customer. */
const SETTLED = new Set(["Confirmed", "Shipped", "Delivered", "Cancelled", "Failed"]);

/**
 * Places one order through APIM and follows it: the order must be Confirmed (reserve,
 * authorize, capture all worked), then it is cancelled so the smoke test returns its stock
 * and refunds its charge, and must end Cancelled. Throws with the step that failed.
 */
export async function runSmokeTest(options: SmokeTestOptions): Promise<SmokeTestResult> {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms)));
  const log = options.log ?? (() => undefined);
  const base = options.baseUrl.replace(/\/+$/, "");
  const correlationId = `smoke-${randomUUID()}`;
  const headers: Record<string, string> = {
    authorization: `Bearer ${options.token}`,
    [CORRELATION_ID_HEADER]: correlationId,
    ...(options.customerId === undefined ? {} : { [HEADERS.customerId]: options.customerId }),
  };

  async function call(method: string, path: string, body?: unknown): Promise<Response> {
    const response = await doFetch(`${base}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    log(`${method} ${path} -> ${response.status}`);
    return response;
  }

  async function expectStatus(response: Response, status: number, what: string): Promise<void> {
    if (response.status !== status) {
      throw new Error(
        `${what}: expected HTTP ${status}, got ${response.status}: ${await response.text()}`,
      );
    }
  }

  const products = await call("GET", "/products?limit=100");
  await expectStatus(products, 200, "list products");
  const { items } = (await products.json()) as { items: Product[] };
  const product = items.find((p) => p.available >= 1);
  if (!product) throw new Error("list products: no product has stock; seed the catalog first");

  const placed = await doFetch(`${base}/orders`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json", "idempotency-key": randomUUID() },
    body: JSON.stringify({
      email: "smoke-test@example.com",
      currency: "USD",
      items: [{ sku: product.sku, quantity: 1 }],
      payment: { method: "card", token: "tok_visa" },
      shippingAddress: {
        name: "Smoke Test",
        line1: "1 Test Street",
        city: "London",
        postalCode: "SW1A 1AA",
        country: "GB",
      },
    }),
  });
  log(`POST /orders -> ${placed.status}`);
  await expectStatus(placed, 202, "place order");
  const { orderId } = (await placed.json()) as { orderId: string };
  log(`order ${orderId} (correlation id ${correlationId})`);

  const statuses: string[] = [];
  async function settle(accept: (status: string) => boolean, what: string): Promise<string> {
    const deadline = Date.now() + options.settleTimeoutInMs;
    for (;;) {
      const read = await call("GET", `/orders/${encodeURIComponent(orderId)}`);
      await expectStatus(read, 200, "read order");
      const { status, failureReason } = (await read.json()) as {
        status: string;
        failureReason: string | null;
      };
      if (statuses[statuses.length - 1] !== status) statuses.push(status);
      if (accept(status)) return status;
      if (SETTLED.has(status) || Date.now() > deadline) {
        throw new Error(
          `${what}: order ${orderId} is ${status}${failureReason ? ` (${failureReason})` : ""}; ` +
            `statuses seen: ${statuses.join(" > ")}`,
        );
      }
      await sleep(options.pollIntervalInMs ?? 2000);
    }
  }

  await settle((s) => s === "Confirmed", "wait for Confirmed");
  const cancel = await call("POST", `/orders/${encodeURIComponent(orderId)}/cancel`);
  await expectStatus(cancel, 202, "cancel order");
  await settle((s) => s === "Cancelled", "wait for Cancelled");
  return { orderId, correlationId, statuses };
}
