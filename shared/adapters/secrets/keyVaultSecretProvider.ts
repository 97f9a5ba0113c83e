import type { TokenCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import type { SecretProvider } from "../../ports/secretProvider";
import { SecretNotFoundError } from "../../ports/secretProvider";

/** Secrets from Key Vault through the app's managed identity (no key in app settings). */
export function createKeyVaultSecretProvider(
  vaultUrl: string,
  credential: TokenCredential,
): SecretProvider {
  const client = new SecretClient(vaultUrl, credential);
  return {
    async getSecret(name, options) {
      try {
        const secret = await client.getSecret(name, { abortSignal: options?.abortSignal });
        if (!secret.value) throw new SecretNotFoundError(name);
        return secret.value;
      } catch (error) {
        // 404 is configuration, not a hiccup: say which secret instead of a raw RestError.
        if ((error as { statusCode?: number }).statusCode === 404)
          throw new SecretNotFoundError(name);
        throw error;
      }
    },
  };
}
