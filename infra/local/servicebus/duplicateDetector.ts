/** Remembers message ids for the duplicate detection window. */
export class DuplicateDetector {
  private readonly seen = new Map<string, number>();
  constructor(public windowMs: number) {}

  /** True when the id was seen within the window; otherwise records it. */
  isDuplicate(id: string, now: number): boolean {
    // Map order is insertion order and the window is constant, so expired ids are at the front.
    for (const [key, expires] of this.seen) {
      if (expires > now) break;
      this.seen.delete(key);
    }
    if (this.seen.has(id)) return true;
    this.seen.set(id, now + this.windowMs);
    return false;
  }
}
