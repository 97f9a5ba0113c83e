import type { Consumer } from "./consumer";

/** The receivers of a store without sessions, served round robin among those with credit. */
export class ConsumerRing {
  private readonly consumers: Consumer[] = [];
  private next = 0;

  get size(): number {
    return this.consumers.length;
  }

  add(c: Consumer): void {
    this.consumers.push(c);
  }

  remove(c: Consumer): void {
    const i = this.consumers.indexOf(c);
    if (i >= 0) this.consumers.splice(i, 1);
  }

  /** The next consumer in turn that may take a message now, if any. */
  nextWithCredit(): Consumer | undefined {
    const n = this.consumers.length;
    for (let k = 0; k < n; k++) {
      const c = this.consumers[(this.next + k) % n] as Consumer;
      if (c.credit() > 0) {
        this.next = (this.next + k + 1) % n;
        return c;
      }
    }
    return undefined;
  }
}
