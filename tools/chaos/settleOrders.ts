/**
 * Waits until every accepted order has settled (Confirmed, or a terminal status), reading it
 * through the API as its customer would; a read that fails (host restarting) is tried again
 * on the next sweep.
 *
 * Reading every pending order each second costs the stack as much as the orders it waits
 * for: 300 pending orders are 300 API calls a second, taken from the capacity that is to
 * drain them. An order that settles always sends its customer one email (Confirmed, Failed
 * or Cancelled), so when the outbox is known only orders with an email are read, and every
 * pending one only on a slow sweep, in case one settles without it.
 */
import { readdirSync } from "node:fs";
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
const FULL_SWEEP_MS = 15_000;

/** Order ids that have an email in the outbox (`<orderId>_<template>.eml`). */
function emailedOrders(outboxDir: string): Set<string> {
  try {
    return new Set(
      readdirSync(outboxDir)
        .filter((f) => f.endsWith(".eml"))
        .map((f) => f.slice(0, f.indexOf("_"))),
    );
  } catch {
    return new Set();
  }
}

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
  /** The email outbox; without it every pending order is read on every sweep. */
  readonly outboxDir?: string;
  readonly onProgress?: (settled: number, total: number) => void;
}): Promise<Map<string, OrderView>> {
  const accepted = options.orders.filter((o) => o.orderId !== undefined);
  const views = new Map<string, OrderView>();
  const deadline = Date.now() + options.timeoutMs;
  let lastFullSweep = Date.now();
  for (;;) {
    const pending = accepted.filter((o) => !SETTLED.has(views.get(o.orderId!)?.status ?? ""));
    options.onProgress?.(accepted.length - pending.length, accepted.length);
    if (pending.length === 0 || Date.now() > deadline) return views;
    const fullSweep =
      options.outboxDir === undefined ||
      Date.now() - lastFullSweep >= FULL_SWEEP_MS ||
      Date.now() + 1000 > deadline;
    if (fullSweep) lastFullSweep = Date.now();
    const emailed = fullSweep ? undefined : emailedOrders(options.outboxDir);
    const toRead = emailed ? pending.filter((o) => emailed.has(o.orderId!)) : pending;
    for (let i = 0; i < toRead.length; i += PARALLEL_READS) {
      const batch = toRead.slice(i, i + PARALLEL_READS);
      const read_ = await Promise.all(batch.map((o) => read(options.hostUrl, o)));
      read_.forEach((view, j) => {
        if (view) views.set(batch[j]!.orderId!, view);
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
