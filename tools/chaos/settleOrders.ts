/**
 * Waits until every accepted order has settled (Confirmed, or a terminal status), reading it
 * through the API as its customer would; a read that fails (host restarting) is tried again
 * on the next sweep.
 */
import type { PlacedOrder } from "./orderLoad";

export interface OrderView {
  readonly orderId: string;
  readonly status: string;
  readonly failureReason: string | null;
  readonly createdAt: string;
  readonly timeline: ReadonlyArray<{ readonly status: string; readonly at: string }>;
}

export const SETTLED = new Set(["Confirmed", "Failed", "Cancelled"]);
const PARALLEL_READS = 8;

async function read(hostUrl: string, order: PlacedOrder): Promise<OrderView | undefined> {
  try {
    const response = await fetch(`${hostUrl}/api/orders/${order.orderId}`, {
      headers: { "X-Customer-Id": order.customerId },
      signal: AbortSignal.timeout(30_000),
    });
    if (response.status !== 200) return undefined;
    return (await response.json()) as OrderView;
  } catch {
    return undefined;
  }
}

/** The last view of each accepted order (by orderId), settled or not when time ran out. */
export async function settleOrders(options: {
  readonly hostUrl: string;
  readonly orders: readonly PlacedOrder[];
  readonly timeoutMs: number;
  readonly onProgress?: (settled: number, total: number) => void;
}): Promise<Map<string, OrderView>> {
  const accepted = options.orders.filter((o) => o.orderId !== undefined);
  const views = new Map<string, OrderView>();
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const pending = accepted.filter((o) => !SETTLED.has(views.get(o.orderId!)?.status ?? ""));
    options.onProgress?.(accepted.length - pending.length, accepted.length);
    if (pending.length === 0 || Date.now() > deadline) return views;
    for (let i = 0; i < pending.length; i += PARALLEL_READS) {
      const batch = pending.slice(i, i + PARALLEL_READS);
      const read_ = await Promise.all(batch.map((o) => read(options.hostUrl, o)));
      read_.forEach((view, j) => {
        if (view) views.set(batch[j]!.orderId!, view);
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
