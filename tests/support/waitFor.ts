/**
 * Waiting on a condition, never for a fixed time: the probe runs until it returns a value,
 * and the wait fails with what was last seen once `timeoutMs` has passed. Scenario tests
 * wait like this for orders, emails, log lines and saga steps; the benches for warm-up.
 */
export interface WaitOptions {
  readonly timeoutMs: number;
  /** Pause between probes; 200 ms by default. */
  readonly intervalMs?: number;
  /** What was awaited, for the error; a function is asked at the time of the failure. */
  readonly what: string | (() => string);
}

/** Resolves with the probe's first value other than `undefined`. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  options: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const what = typeof options.what === "function" ? options.what() : options.what;
      throw new Error(`${what}: not within ${options.timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
  }
}
