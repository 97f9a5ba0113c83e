import type { SpanRecord } from "./spanFile";

/** One span and its children, ordered by start. */
export interface SpanNode {
  readonly span: SpanRecord;
  readonly children: SpanNode[];
}

export interface OrderTrace {
  readonly orderId: string;
  /** The order's trace first (the one its accepting request began), then any other. */
  readonly traceIds: readonly string[];
  readonly spans: readonly SpanRecord[];
  /** Spans whose parent is not among the spans (the trace's root, or an orphan). */
  readonly roots: readonly SpanNode[];
}

/**
 * The spans of one order: every trace in which some span names the order (`order.id`), in
 * full. One order is one trace from its POST to its last email; a later request on it (a
 * cancel, a ship) starts a trace of its own, which the saga's episode links to. A read of
 * the order (GET) changes nothing and is left out.
 */
export function orderTrace(spans: readonly SpanRecord[], orderId: string): OrderTrace {
  const firstSeen = new Map<string, number>();
  for (const span of spans) {
    if (span.attributes["order.id"] !== orderId) continue;
    const at = firstSeen.get(span.traceId);
    if (at === undefined || span.startMs < at) firstSeen.set(span.traceId, span.startMs);
  }
  for (const traceId of readsOnly(spans, new Set(firstSeen.keys()))) firstSeen.delete(traceId);
  const traceIds = [...firstSeen.entries()].sort((a, b) => a[1] - b[1]).map(([id]) => id);
  const inTraces = spans.filter((s) => firstSeen.has(s.traceId));
  return { orderId, traceIds, spans: inTraces, roots: buildTree(inTraces) };
}

/** The traces among `traceIds` that began with a GET: reads of the order, which change nothing. */
function readsOnly(spans: readonly SpanRecord[], traceIds: ReadonlySet<string>): string[] {
  const inTrace = spans.filter((s) => traceIds.has(s.traceId));
  const ids = new Set(inTrace.map((s) => `${s.traceId}/${s.spanId}`));
  const rootsByTrace = new Map<string, SpanRecord[]>();
  for (const span of inTrace) {
    if (span.parentSpanId !== undefined && ids.has(`${span.traceId}/${span.parentSpanId}`))
      continue;
    rootsByTrace.set(span.traceId, [...(rootsByTrace.get(span.traceId) ?? []), span]);
  }
  return [...rootsByTrace]
    .filter(([, roots]) =>
      roots.every((r) => r.kind === "server" && r.attributes["http.request.method"] === "GET"),
    )
    .map(([traceId]) => traceId);
}

export function buildTree(spans: readonly SpanRecord[]): SpanNode[] {
  const nodes = new Map<string, SpanNode>();
  for (const span of spans) nodes.set(span.spanId, { span, children: [] });
  const roots: SpanNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.span.parentSpanId ? nodes.get(node.span.parentSpanId) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  const byStart = (a: SpanNode, b: SpanNode) => a.span.startMs - b.span.startMs;
  const sort = (list: SpanNode[]) => {
    list.sort(byStart);
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** Depth-first, parents before children: the waterfall's rows. */
export function flatten(roots: readonly SpanNode[]): { node: SpanNode; depth: number }[] {
  const rows: { node: SpanNode; depth: number }[] = [];
  const walk = (node: SpanNode, depth: number) => {
    rows.push({ node, depth });
    for (const child of node.children) walk(child, depth + 1);
  };
  for (const root of roots) walk(root, 0);
  return rows;
}
