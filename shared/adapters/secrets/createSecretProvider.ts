import type { TokenCredential } from "@azure/identity";
import { createCachedSecretProvider } from "./cachedSecretProvider";
import { createKeyVaultSecretProvider } from "./keyVaultSecretProvider";
import type { SecretProvider } from "../../ports/secretProvider";
import { createSettingsSecretProvider } from "./settingsSecretProvider";

export interface SecretProviderConfig {
  /** KEY_VAULT_URL; when set, secrets come from the vault, else from `settingsSecrets`. */
  readonly keyVaultUrl?: string;
  /** Secret name → setting value, the local fallback. */
  readonly settingsSecrets: Readonly<Record<string, string | undefined>>;
  readonly refreshAfterInMs?: number;
}

export interface SecretProviderDeps {
  /** Built once by the composition root (DefaultAzureCredential with AZURE_CLIENT_ID). */
  readonly credential?: () => TokenCredential;
  readonly now?: () => number;
}

/** Five minutes: a rotated key is picked up within that, and the vault sees few reads. */
export const DEFAULT_SECRET_REFRESH_IN_MS = 5 * 60_000;

export function createSecretProvider(
  config: SecretProviderConfig,
  deps: SecretProviderDeps = {},
): SecretProvider {
  let inner: SecretProvider;
  if (config.keyVaultUrl) {
    if (!deps.credential) throw new Error("a credential is needed to read Key Vault");
    inner = createKeyVaultSecretProvider(config.keyVaultUrl, deps.credential());
  } else {
    inner = createSettingsSecretProvider(config.settingsSecrets);
  }
  return createCachedSecretProvider(inner, {
    refreshAfterInMs: config.refreshAfterInMs ?? DEFAULT_SECRET_REFRESH_IN_MS,
    now: deps.now ?? Date.now,
  });
}
