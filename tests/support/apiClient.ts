/**
 * The Order API as scenario tests and benches call it over HTTP: the identity headers the
 * gateway sets (docs/http-api.md "Identity"), JSON bodies, and polling an order until a
 * condition holds. Jest-free, so the benches under tools/ use it too.
 */
import { randomUUID } from "node:crypto";
import { setTimeout } from "node:timers/promises";
import { ADMIN_ROLE, HEADERS } from "../../shared/contracts/http/common";
import type { CreateOrderRequest, OrderResponse } from "../../shared/contracts/http/orders";
import { aCreateOrderRequest } from "../../shared/contracts/testing/httpBuilders";
import { waitFor } from "./waitFor";

export interface CallOptions {
  readonly method?: string;
  readonly customerId?: string;
  readonly roles?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON-encoded, sent as application/json unless `headers` names a content type. */
  readonly body?: unknown;
  /** Sent as it is, instead of `body`. */
  readonly rawBody?: string;
  /** "manual" shows a redirect instead of following it. */
  readonly redirect?: "follow" | "manual" | "error";
}

// Tests assert answers field by field; `any` (JSON.parse's own type) keeps those short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJson = any;

export interface ApiResponse<T = AnyJson> {
  readonly status: number;
  readonly headers: Headers;
  readonly contentType: string;
  readonly text: string;
  /** The parsed body when the answer is JSON (problem+json too), else undefined. */
  readonly json: T;
}

/** An order and who reads it: its customer, or an operator through the role. */
export interface OrderReader {
  readonly orderId: string;
  readonly customerId?: string;
  readonly roles?: string;
}

export interface PlacedOrder extends OrderReader {
  readonly customerId: string;
}

/** An operator's identity headers, for `call(..., { ...admin })`. */
export const admin = { customerId: "operator", roles: ADMIN_ROLE } as const;

export const hasStatus =
  (...statuses: string[]) =>
  (order: OrderResponse): boolean =>
    statuses.includes(order.status);

/** Tries of `placeOrder` while the API answers 503. */
const PLACE_ORDER_ATTEMPTS = 5;

/** The pause a 503 asks for (`Retry-After`, in seconds), or one second without it. */
function retryAfterMs(response: ApiResponse): number {
  const seconds = Number(response.headers.get("retry-after"));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000;
}

export interface ApiClientOptions {
  /** Throw on any 5xx answer: docs/http-api.md promises that no input produces a 500. */
  readonly failOnServerError?: boolean;
  /** The host's system key, which the Durable webhooks ask (`sagaInstance`). */
  readonly systemKey?: () => string;
}

export class ApiClient {
  /** `origin` is asked on every call: a restarted host listens on another free port. */
  constructor(
    private readonly origin: () => string,
    private readonly options: ApiClientOptions = {},
  ) {}

  /** A route under /api, e.g. `call("/orders", { method: "POST", customerId, body })`. */
  call<T = AnyJson>(path: string, init: CallOptions = {}): Promise<ApiResponse<T>> {
    return this.send<T>(`/api${path}`, init);
  }

  /** The saga instance's status from the host's Durable management API (`query`: e.g. "?showHistory=true"). */
  sagaInstance(orderId: string, query = ""): Promise<ApiResponse> {
    const key = this.options.systemKey?.();
    return this.send(`/runtime/webhooks/durabletask/instances/${orderId}${query}`, {
      headers: key === undefined ? {} : { "x-functions-key": key },
    });
  }

  /** POST /api/orders with this body, whatever the answer. */
  postOrder(
    customerId: string,
    body: unknown,
    headers: Readonly<Record<string, string>> = {},
  ): Promise<ApiResponse> {
    return this.call("/orders", { method: "POST", customerId, body, headers });
  }

  /**
   * Places a valid order (the builder's, with `overrides`) as a well-behaved client does: under
   * one Idempotency-Key, sent again after `Retry-After` while the API answers 503 (the store is
   * busy; docs/http-api.md says such a retry places the order once). Anything else but 202, or
   * a 503 on the last attempt, throws.
   */
  async placeOrder(
    customerId: string,
    overrides: Partial<CreateOrderRequest> = {},
  ): Promise<PlacedOrder> {
    const body = aCreateOrderRequest(overrides);
    const headers = { [HEADERS.idempotencyKey]: randomUUID() };
    for (let attempt = 1; ; attempt++) {
      const result = await this.postOrder(customerId, body, headers);
      if (result.status === 202)
        return { orderId: (result.json as { orderId: string }).orderId, customerId };
      if (result.status !== 503 || attempt >= PLACE_ORDER_ATTEMPTS)
        throw new Error(`POST /orders: ${result.status} ${result.text}`);
      await setTimeout(retryAfterMs(result));
    }
  }

  readOrder(order: OrderReader): Promise<ApiResponse<OrderResponse>> {
    const { customerId, roles } = order;
    return this.call<OrderResponse>(`/orders/${order.orderId}`, { customerId, roles });
  }

  /** Polls the order until `until` holds for it. */
  async waitForOrder(
    order: OrderReader,
    until: (order: OrderResponse) => boolean,
    timeoutMs = 60_000,
    intervalMs = 200,
  ): Promise<OrderResponse> {
    let last: ApiResponse<OrderResponse> | undefined;
    return waitFor(
      async () => {
        last = await this.readOrder(order);
        return last.status === 200 && until(last.json) ? last.json : undefined;
      },
      {
        timeoutMs,
        intervalMs,
        what: () => `order ${order.orderId} (last: ${last?.status} ${last?.text})`,
      },
    );
  }

  /** Polls until every order satisfies `until`; returns the last view of each, in order. */
  async waitForAll(
    orders: readonly OrderReader[],
    until: (order: OrderResponse) => boolean,
    timeoutMs: number,
  ): Promise<OrderResponse[]> {
    const done = new Map<string, OrderResponse>();
    let pending: string[] = [];
    await waitFor(
      async () => {
        pending = [];
        for (const order of orders) {
          if (done.has(order.orderId)) continue;
          const view = await this.readOrder(order);
          if (view.status === 200 && until(view.json)) done.set(order.orderId, view.json);
          else pending.push(`${order.orderId}:${view.json?.status}`);
        }
        return pending.length === 0 ? true : undefined;
      },
      {
        timeoutMs,
        intervalMs: 500,
        what: () => `${pending.length} of ${orders.length} orders: ${pending.join(", ")}`,
      },
    );
    return orders.map((order) => done.get(order.orderId) as OrderResponse);
  }

  /** PUT /api/inventory/{sku} as an operator; anything but 200 throws. */
  async setStock(sku: string, stock: number): Promise<void> {
    const result = await this.call(`/inventory/${sku}`, {
      method: "PUT",
      ...admin,
      body: { stock },
    });
    if (result.status !== 200)
      throw new Error(`PUT /inventory/${sku}: ${result.status} ${result.text}`);
  }

  private async send<T>(path: string, init: CallOptions): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...init.headers };
    if (init.customerId !== undefined) headers[HEADERS.customerId] = init.customerId;
    if (init.roles !== undefined) headers[HEADERS.roles] = init.roles;
    const body = init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type"))
      headers["Content-Type"] = "application/json";
    const method = init.method ?? "GET";
    const response = await fetch(`${this.origin()}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      ...(init.redirect === undefined ? {} : { redirect: init.redirect }),
    });
    const text = await response.text();
    if (this.options.failOnServerError && response.status >= 500)
      throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    const contentType = response.headers.get("content-type") ?? "";
    const json: unknown =
      contentType.includes("json") && text.length > 0 ? JSON.parse(text) : undefined;
    return {
      status: response.status,
      headers: response.headers,
      contentType,
      text,
      json: json as T,
    };
  }
}
