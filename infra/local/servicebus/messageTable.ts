import type { StoredMessage } from "./storedMessage";

/**
 * The live messages of one entity by sequence number, with a sorted index for peeking from a
 * sequence number (binary search, lazily compacted). Map order is sequence order because
 * sequence numbers only grow.
 */
export class MessageTable {
  private readonly bySeq = new Map<number, StoredMessage>();
  private index: number[] = [];

  get size(): number {
    return this.bySeq.size;
  }

  get(seq: number): StoredMessage | undefined {
    return this.bySeq.get(seq);
  }

  add(m: StoredMessage): void {
    this.bySeq.set(m.seq, m);
    this.index.push(m.seq);
  }

  delete(seq: number): void {
    this.bySeq.delete(seq);
    if (this.index.length > 1024 && this.index.length > 2 * this.bySeq.size) {
      this.index = [...this.bySeq.keys()];
    }
  }

  values(): IterableIterator<StoredMessage> {
    return this.bySeq.values();
  }

  /** Messages from a sequence number on, in order (of one session when given). */
  peek(fromSeq: number, count: number, sessionId?: string): StoredMessage[] {
    const out: StoredMessage[] = [];
    const index = this.index;
    let lo = 0;
    let hi = index.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((index[mid] as number) < fromSeq) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < index.length && out.length < count; i++) {
      const m = this.bySeq.get(index[i] as number);
      if (!m) continue;
      if (sessionId !== undefined && m.sessionId !== sessionId) continue;
      out.push(m);
    }
    return out;
  }

  clear(): void {
    this.bySeq.clear();
    this.index = [];
  }
}
