import type { SecretProvider } from "../../ports/secretProvider";
import { SecretNotFoundError } from "../../ports/secretProvider";

/**
 * Secrets from app settings, for local runs without a vault: the secret's name maps to a
 * setting's value (e.g. `payment-gateway-api-key` → PAYMENT_GATEWAY_API_KEY's placeholder).
 */
export function createSettingsSecretProvider(
  secrets: Readonly<Record<string, string | undefined>>,
): SecretProvider {
  return {
    getSecret(name) {
      const value = secrets[name];
      if (!value) return Promise.reject(new SecretNotFoundError(name));
      return Promise.resolve(value);
    },
  };
}
