import { createCachedSecretProvider } from "./cachedSecretProvider";
import { createSecretProvider } from "./createSecretProvider";
import type { SecretProvider } from "../../ports/secretProvider";
import { SecretNotFoundError } from "../../ports/secretProvider";

/** A secret source whose answers the test scripts; counts reads. */
function scriptedSource(answers: Array<string | Error>): SecretProvider & { reads: number } {
  const source = {
    reads: 0,
    getSecret(): Promise<string> {
      const answer = answers[Math.min(source.reads, answers.length - 1)] as string | Error;
      source.reads++;
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
  return source;
}

describe("createCachedSecretProvider", () => {
  it("reads once within the refresh period and again after it", async () => {
    let now = 0;
    const source = scriptedSource(["v1", "v2"]);
    const cached = createCachedSecretProvider(source, { refreshAfterInMs: 1000, now: () => now });
    expect(await cached.getSecret("k")).toBe("v1");
    now = 999;
    expect(await cached.getSecret("k")).toBe("v1");
    now = 1000;
    expect(await cached.getSecret("k")).toBe("v2");
    expect(source.reads).toBe(2);
  });

  it("shares one read between concurrent callers", async () => {
    const source = scriptedSource(["v1"]);
    const cached = createCachedSecretProvider(source, { refreshAfterInMs: 1000, now: () => 0 });
    expect(await Promise.all([cached.getSecret("k"), cached.getSecret("k")])).toEqual(["v1", "v1"]);
    expect(source.reads).toBe(1);
  });

  it("serves the old value when a refresh fails, and fails when it never had one", async () => {
    let now = 0;
    const cached = createCachedSecretProvider(scriptedSource(["v1", new Error("vault down")]), {
      refreshAfterInMs: 10,
      now: () => now,
    });
    expect(await cached.getSecret("k")).toBe("v1");
    now = 100;
    expect(await cached.getSecret("k")).toBe("v1");
    const failing = createCachedSecretProvider(scriptedSource([new Error("vault down")]), {
      refreshAfterInMs: 10,
      now: () => now,
    });
    await expect(failing.getSecret("k")).rejects.toThrow("vault down");
  });
});

describe("createSecretProvider", () => {
  it("reads from settings when no vault URL is set", async () => {
    const provider = createSecretProvider({
      settingsSecrets: { "payment-gateway-api-key": "local" },
    });
    expect(await provider.getSecret("payment-gateway-api-key")).toBe("local");
    await expect(provider.getSecret("other")).rejects.toBeInstanceOf(SecretNotFoundError);
  });

  it("needs a credential when a vault URL is set", () => {
    expect(() =>
      createSecretProvider({ keyVaultUrl: "https://v.vault.azure.net/", settingsSecrets: {} }),
    ).toThrow("credential");
  });
});
