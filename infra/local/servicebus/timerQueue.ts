import { MinHeap } from "./minHeap";

/** A cancellable entry of the {@link TimerQueue}. */
export interface TimerHandle {
  readonly at: number;
  cancelled: boolean;
}

interface Entry extends TimerHandle {
  readonly seq: number;
  run: () => void;
}

const NOTHING = (): void => undefined;

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
  private cancelledCount = 0;

  constructor(private readonly now: () => number = Date.now) {}

  schedule(at: number, run: () => void): TimerHandle {
    const entry: Entry = { at, run, cancelled: false, seq: this.seq++ };
    this.heap.push(entry);
    if (at < this.armedAt) this.arm();
    return entry;
  }

  /**
   * Cancelled entries stay in the heap until they reach the top (a message TTL may be an hour
   * away), so cancelling drops the callback, and the heap is compacted once most of it is
   * cancelled; completed messages are then not kept alive by their expiry timers.
   */
  cancel(handle: TimerHandle | undefined): void {
    if (!handle || handle.cancelled) return;
    handle.cancelled = true;
    (handle as Entry).run = NOTHING;
    this.cancelledCount++;
    if (this.cancelledCount > 1024 && this.cancelledCount * 2 > this.heap.size) {
      this.heap.retain((e) => !e.cancelled);
      this.cancelledCount = 0;
    }
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
      this.cancelledCount = Math.max(0, this.cancelledCount - 1);
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
      if (top.cancelled) {
        this.cancelledCount = Math.max(0, this.cancelledCount - 1);
      } else {
        top.cancelled = true;
        top.run();
      }
    }
    this.arm();
  }
}
