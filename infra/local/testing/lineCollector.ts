/** Collects a child's output as lines and lets a caller wait for a line it expects. */
import type { Readable } from "node:stream";

export type LinePredicate = RegExp | ((line: string) => boolean);

interface Waiter {
  readonly test: (line: string) => boolean;
  readonly resolve: (line: string) => void;
}

export class LineCollector {
  readonly lines: string[] = [];
  readonly #waiters = new Set<Waiter>();
  readonly #echo: boolean;

  constructor(echo = false) {
    this.#echo = echo;
  }

  attach(stream: Readable | null): void {
    if (!stream) return;
    let partial = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      const parts = (partial + chunk).split("\n");
      partial = parts.pop() ?? "";
      for (const line of parts) this.push(line);
    });
    stream.on("end", () => {
      if (partial) this.push(partial);
      partial = "";
    });
  }

  push(line: string): void {
    this.lines.push(line);
    if (this.#echo) process.stdout.write(line + "\n");
    for (const waiter of [...this.#waiters]) {
      if (waiter.test(line)) {
        this.#waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  }

  /**
   * Resolves with the first line (already seen or still to come) that matches; rejects after
   * `timeoutMs` or when `abort` rejects first (e.g. the child exited).
   */
  waitFor(predicate: LinePredicate, timeoutMs = 30_000, abort?: Promise<unknown>): Promise<string> {
    const test =
      typeof predicate === "function" ? predicate : (line: string) => predicate.test(line);
    const seen = this.lines.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(
          new Error(
            `No matching line within ${timeoutMs} ms. Last lines:\n${this.lines.slice(-20).join("\n")}`,
          ),
        );
      }, timeoutMs);
      const waiter: Waiter = {
        test,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      this.#waiters.add(waiter);
      abort?.then(
        (value) => {
          if (!this.#waiters.has(waiter)) return;
          this.#waiters.delete(waiter);
          clearTimeout(timer);
          reject(
            new Error(
              `Gave up waiting: ${JSON.stringify(value)}. Last lines:\n${this.lines.slice(-20).join("\n")}`,
            ),
          );
        },
        () => undefined,
      );
    });
  }
}
