// The Order API, called relative to this page: /api/shop/ → /api/, and behind API Management
// <gateway>/<prefix>/shop/ → <gateway>/<prefix>/, so no base URL is configured anywhere.
export const apiBase = new URL("../", location.href);

/** Who is calling: a typed customer id locally, a bearer token behind API Management. */
export const identity = { customerId: "", token: "" };

export function authHeaders() {
  const headers = {};
  if (identity.customerId) headers["X-Customer-Id"] = identity.customerId;
  if (identity.token) headers.Authorization = `Bearer ${identity.token}`;
  return headers;
}

/** A problem+json answer, kept whole so the page can say what was wrong. */
export class ApiError extends Error {
  constructor(status, problem) {
    const fields = (problem?.errors ?? []).map((e) => `${e.path}: ${e.message}`).join("; ");
    super(
      [problem?.title ?? `HTTP ${status}`, problem?.detail, fields].filter(Boolean).join(" — "),
    );
    this.status = status;
    this.problem = problem;
  }
}

async function call(path, init = {}) {
  const response = await fetch(new URL(path, apiBase), {
    ...init,
    headers: {
      ...authHeaders(),
      ...(init.body ? { "Content-Type": "application/json" } : {}),
      ...init.headers,
    },
  });
  const text = await response.text();
  const body = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

export const listProducts = (continuationToken) =>
  call(
    `products?limit=8${continuationToken ? `&continuationToken=${encodeURIComponent(continuationToken)}` : ""}`,
  );

export const listOrders = (continuationToken) =>
  call(
    `orders?limit=10${continuationToken ? `&continuationToken=${encodeURIComponent(continuationToken)}` : ""}`,
  );

export const getOrder = (orderId) => call(`orders/${encodeURIComponent(orderId)}`);

export const cancelOrder = (orderId) =>
  call(`orders/${encodeURIComponent(orderId)}/cancel`, { method: "POST" });

/** One key per checkout attempt: a retried click cannot place the order twice. */
export const placeOrder = (request, idempotencyKey) =>
  call("orders", {
    method: "POST",
    body: JSON.stringify(request),
    headers: { "Idempotency-Key": idempotencyKey },
  });
