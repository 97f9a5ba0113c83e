/**
 * Steady order arrivals, as clients that retry: the i-th order is due at start + i/rate; its
 * POST is retried with the same Idempotency-Key while the API cannot answer (connection
 * refused while the host restarts, 5xx, 429), so a retry can never place a second order.
 */
export interface PlacedOrder {
  readonly index: number;
  readonly token: string;
  readonly customerId: string;
  /** Epoch ms the order was due (its arrival). */
  readonly arrivedAt: number;
  /** Epoch ms the API answered 202; undefined when it never did. */
  acceptedAt?: number;
  orderId?: string;
  /** POSTs sent, the first included. */
  attempts: number;
  /** Why the order was not accepted (a refusal, or the give-up reason). */
  refused?: string;
}

export const CHAOS_SKUS = Array.from(
  { length: 12 },
  (_, i) => `SKU-${String(i + 1).padStart(4, "0")}`,
);

const POST_GIVE_UP_MS = 180_000;

function orderBody(index: number, token: string): string {
  return JSON.stringify({
    email: `chaos-${index}@example.test`,
    currency: "USD",
    items: [{ sku: CHAOS_SKUS[index % CHAOS_SKUS.length], quantity: 1 + (index % 2) }],
    payment: { method: "card", token },
    shippingAddress: {
      name: "Chaos Monkey",
      line1: "1 Fault Lane",
      city: "London",
      postalCode: "N1 9GU",
      country: "GB",
    },
  });
}

async function place(hostUrl: string, runId: string, order: PlacedOrder): Promise<void> {
  const giveUpAt = Date.now() + POST_GIVE_UP_MS;
  let backoff = 250;
  for (;;) {
    order.attempts += 1;
    let status: number;
    let body: { orderId?: string; detail?: string } = {};
    try {
      const response = await fetch(`${hostUrl}/api/orders`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "X-Customer-Id": order.customerId,
          "Idempotency-Key": `${runId}-${order.index}`,
        },
        body: orderBody(order.index, order.token),
        signal: AbortSignal.timeout(30_000),
      });
      status = response.status;
      body = (await response.json().catch(() => ({}))) as typeof body;
    } catch {
      status = 0;
    }
    if (status === 202 && body.orderId) {
      order.acceptedAt = Date.now();
      order.orderId = body.orderId;
      return;
    }
    if (status !== 0 && status !== 429 && status < 500) {
      order.refused = `${status} ${body.detail ?? ""}`.trim();
      return;
    }
    if (Date.now() + backoff > giveUpAt) {
      order.refused = `no 202 within ${POST_GIVE_UP_MS / 1000} s (last status ${status || "no answer"})`;
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, backoff));
    backoff = Math.min(backoff * 2, 2000);
  }
}

/** Places `tokens.length` orders at `rate` per second; resolves once every POST is done. */
export async function placeOrders(options: {
  readonly hostUrl: string;
  readonly runId: string;
  readonly rate: number;
  readonly tokens: readonly string[];
  readonly startedAt: number;
}): Promise<PlacedOrder[]> {
  const orders: PlacedOrder[] = [];
  const posts: Promise<void>[] = [];
  for (const [index, token] of options.tokens.entries()) {
    const due = options.startedAt + (index * 1000) / options.rate;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const order: PlacedOrder = {
      index,
      token,
      customerId: `chaos-${index % 50}`,
      arrivedAt: due,
      attempts: 0,
    };
    orders.push(order);
    posts.push(place(options.hostUrl, options.runId, order));
  }
  await Promise.all(posts);
  return orders;
}
