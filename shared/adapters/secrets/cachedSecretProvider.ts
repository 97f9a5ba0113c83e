import type { SecretProvider } from "../../ports/secretProvider";

export interface CachedSecretProviderOptions {
  /** How long a value is served before it is read again (rotation shows up within this). */
  readonly refreshAfterInMs: number;
  /** Milliseconds since the epoch; injected so tests control time. */
  readonly now: () => number;
}

interface Entry {
  value?: string;
  readAt: number;
  inFlight?: Promise<string>;
}

/**
 * Caches secrets and refreshes them after `refreshAfterInMs`. One read is in flight per
 * secret, however many invocations ask at once. When a refresh fails and a value was read
 * before, the old value is served and the refresh is retried on the next call: a vault
 * hiccup must not fail payments whose key has not changed.
 */
export function createCachedSecretProvider(
  inner: SecretProvider,
  options: CachedSecretProviderOptions,
): SecretProvider {
  const entries = new Map<string, Entry>();
  return {
    async getSecret(name, getOptions) {
      const entry = entries.get(name) ?? { readAt: Number.NEGATIVE_INFINITY };
      entries.set(name, entry);
      const fresh = options.now() - entry.readAt < options.refreshAfterInMs;
      if (entry.value !== undefined && fresh) return entry.value;
      entry.inFlight ??= inner
        .getSecret(name, getOptions)
        .then((value) => {
          entry.value = value;
          entry.readAt = options.now();
          return value;
        })
        .finally(() => {
          entry.inFlight = undefined;
        });
      try {
        return await entry.inFlight;
      } catch (error) {
        if (entry.value !== undefined) return entry.value;
        throw error;
      }
    },
  };
}
