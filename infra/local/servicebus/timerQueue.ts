import { MinHeap } from "./minHeap";

/** A cancellable entry of the {@link TimerQueue}. */
export interface TimerHandle {
  readonly at: number;
  cancelled: boolean;
}

interface Entry extends TimerHandle {
  readonly seq: number;
  readonly run: () => void;
}

/** Node refuses delays above 2^31-1 ms; later entries are re-armed when that time comes. */
const MAX_DELAY = 2 ** 31 - 1;

/**
 * Every deadline of the broker (lock expiry, scheduled enqueue, TTL, session locks) in one
 * min-heap behind a single Node timer, so 100,000 locked or expiring messages cost heap
 * entries, not 100,000 timers. Cancelled entries are dropped lazily when they reach the top.
 */
export class TimerQueue {
  private readonly heap = new MinHeap<Entry>(
    (a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq),
  );
  private timer: NodeJS.Timeout | undefined;
  private armedAt = Infinity;
  private seq = 0;
  private closed = false;

  constructor(private readonly now: () => number = Date.now) {}

  schedule(at: number, run: () => void): TimerHandle {
    const entry: Entry = { at, run, cancelled: false, seq: this.seq++ };
    this.heap.push(entry);
    if (at < this.armedAt) this.arm();
    return entry;
  }

  cancel(handle: TimerHandle | undefined): void {
    if (handle) handle.cancelled = true;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.heap.clear();
  }

  private arm(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = Infinity;
    let top = this.heap.peek();
    while (top && top.cancelled) {
      this.heap.pop();
      top = this.heap.peek();
    }
    if (!top) return;
    this.armedAt = top.at;
    const delay = Math.min(MAX_DELAY, Math.max(0, top.at - this.now()));
    this.timer = setTimeout(() => this.fire(), delay);
  }

  private fire(): void {
    this.timer = undefined;
    this.armedAt = Infinity;
    const now = this.now();
    for (;;) {
      const top = this.heap.peek();
      if (!top || top.at > now) break;
      this.heap.pop();
      if (!top.cancelled) {
        top.cancelled = true;
        top.run();
      }
    }
    this.arm();
  }
}
